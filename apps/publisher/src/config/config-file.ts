import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error';

export type Environment = Record<string, string | undefined>;

/**
 * The environment with CONFIG_FILE's settings underneath: a JSON object whose keys are the environment
 * variable names (`{"PORT": 8080, "STORAGE": "s3"}`). Variables set in the environment win, so one file can
 * serve several replicas that differ only by an env var or two.
 */
export function withConfigFile(env: Environment = process.env): Environment {
  const path = env.CONFIG_FILE?.trim();
  if (!path) return env;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`CONFIG_FILE: cannot read ${path} as JSON: ${(error as Error).message}`]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError([`CONFIG_FILE: ${path} must hold a JSON object whose keys are setting names`]);
  }
  const problems: string[] = [];
  const fromFile: Environment = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) problems.push(`CONFIG_FILE: key "${name}" is not a setting name (upper-case, like PORT)`);
    else if (typeof value === 'string') fromFile[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') fromFile[name] = String(value);
    else problems.push(`CONFIG_FILE: ${name} must be a string, number or boolean`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const merged: Environment = { ...fromFile };
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') merged[name] = value;
  }
  return merged;
}
