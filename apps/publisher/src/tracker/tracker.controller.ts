import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { HttpTracker, TRACKER_CONTENT_TYPE } from '@seedfleet/tracker';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Thin: the raw URL goes to libs/tracker, whose answer (bencoded, never a 500) goes back unchanged. */
@Controller()
export class TrackerController {
  constructor(@Inject(HttpTracker) private readonly tracker: HttpTracker) {}

  @Get(['announce', 'announce/:passkey', 'scrape', 'scrape/:passkey'])
  async handle(@Req() request: IncomingMessage & { originalUrl?: string }, @Res() response: ServerResponse): Promise<void> {
    const forwarded = request.headers['x-forwarded-for'];
    const reply = await this.tracker.handle({
      url: request.originalUrl ?? request.url ?? '/',
      socketAddress: request.socket.remoteAddress,
      forwardedFor: Array.isArray(forwarded) ? forwarded.join(', ') : forwarded,
    });
    response.writeHead(reply.status, { 'content-type': TRACKER_CONTENT_TYPE, 'content-length': reply.body.length });
    response.end(reply.body);
  }
}
