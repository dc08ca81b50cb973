import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConnectionIds, startUdpTrackerServer, Tracker, UdpTracker, type RunningServer } from '@seedfleet/tracker';
import type { TrackerConfig } from './tracker-config';
import { TRACKER_CONFIG, TRACKER_UDP_SECRET } from './tracker.tokens';

/** The BEP 15 UDP tracker beside the HTTP app, when TRACKER_UDP_PORT is set. */
@Injectable()
export class UdpTrackerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: RunningServer;
  private readonly logger = new Logger('tracker');

  constructor(
    @Inject(Tracker) private readonly tracker: Tracker,
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig & { host: string },
    @Inject(TRACKER_UDP_SECRET) private readonly secret: Buffer,
  ) {}

  get port(): number | undefined {
    return this.server?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.udpPort === undefined) return;
    this.server = await startUdpTrackerServer(new UdpTracker(this.tracker, new ConnectionIds(this.secret)), this.config.host, this.config.udpPort);
    this.logger.log(`UDP tracker on ${this.config.host}:${this.server.port}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }
}
