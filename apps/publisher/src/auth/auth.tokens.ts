/** The admin API token (string), resolved before Nest starts by resolveAdminToken. */
export const ADMIN_TOKEN = Symbol('ADMIN_TOKEN');
