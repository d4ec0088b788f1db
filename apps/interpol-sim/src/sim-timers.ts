import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';

interface Entry {
  tags: readonly string[];
  cancel: () => void;
}

/**
 * Every delay in the simulator goes through here, tagged, so a withdrawal can stop one request's
 * pending work, a reset can stop everything, and close() leaves no timer keeping the process alive.
 */
@Injectable()
export class SimTimers implements OnModuleDestroy {
  private readonly logger = new Logger(SimTimers.name);
  private readonly entries = new Map<NodeJS.Timeout, Entry>();
  private closed = false;

  /** Resolves true after `ms`, or false as soon as it is cancelled (or already closed). */
  sleep(ms: number, tags: readonly string[]): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const handle = setTimeout(() => {
        this.entries.delete(handle);
        resolve(true);
      }, ms);
      this.entries.set(handle, { tags, cancel: () => resolve(false) });
    });
  }

  /** Runs `task` after `ms` unless cancelled first; a failing task is logged, never thrown. */
  after(ms: number, tags: readonly string[], task: () => void | Promise<void>): void {
    void this.sleep(ms, tags).then(async (elapsed) => {
      if (!elapsed) return;
      try {
        await task();
      } catch (err) {
        this.logger.error(
          `scheduled task failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    });
  }

  cancel(tag: string): number {
    let count = 0;
    for (const [handle, entry] of this.entries) {
      if (entry.tags.includes(tag)) {
        this.drop(handle, entry);
        count++;
      }
    }
    return count;
  }

  cancelAll(): void {
    for (const [handle, entry] of this.entries) this.drop(handle, entry);
  }

  get pending(): number {
    return this.entries.size;
  }

  onModuleDestroy(): void {
    this.closed = true;
    this.cancelAll();
  }

  private drop(handle: NodeJS.Timeout, entry: Entry): void {
    clearTimeout(handle);
    this.entries.delete(handle);
    entry.cancel();
  }
}
