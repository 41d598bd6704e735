/**
 * The environment each backend's worker starts with. headless-gl gets an X
 * display: the user's, or a private Xvfb we start on first need and stop at
 * the end of the run; webgpu gets the user's choice of adapter.
 */
import { PRIVATE_XVFB_ENV } from '../backends/gl-driver.js';
import { WEBGPU_ADAPTER_ENV, WEBGPU_PINNED_ADAPTER_ENV } from '../backends/webgpu-shim.js';
import type { BackendStatus } from '../results/schema.js';
import { startXvfb, type XServer } from './xvfb.js';

export class WorkerEnvironment {
  private xserver: XServer | undefined;
  private xvfbError: string | undefined;

  constructor(
    private readonly base: NodeJS.ProcessEnv = process.env,
    /** --webgpu-adapter: an index, a Dawn backend or part of an adapter's name; undefined takes the default */
    private readonly webgpuAdapter?: string,
  ) {}

  /** the adapter the probe took, as the webgpu workers after it get it (see WEBGPU_PINNED_ADAPTER_ENV) */
  private pinnedAdapter: string | undefined;

  /** Every webgpu worker from now on opens the adapter this probe took, instead of choosing again. */
  pinWebgpuAdapter(status: BackendStatus | undefined): void {
    const dawn = status?.webgpuAdapters;
    const adapter = dawn?.adapters.find((a) => a.index === dawn.choice.chosen);
    this.pinnedAdapter = adapter ? JSON.stringify({ adapter, reason: dawn!.choice.reason }) : undefined;
  }

  async forBackend(backend: string): Promise<NodeJS.ProcessEnv> {
    if (backend === 'webgpu') {
      // the user's choice, or none: an inherited choice must not choose for a run that did not ask
      const { [WEBGPU_ADAPTER_ENV]: _chosen, [WEBGPU_PINNED_ADAPTER_ENV]: _pinned, ...env } = this.base;
      if (this.pinnedAdapter !== undefined) return { ...env, [WEBGPU_PINNED_ADAPTER_ENV]: this.pinnedAdapter };
      return this.webgpuAdapter === undefined ? env : { ...env, [WEBGPU_ADAPTER_ENV]: this.webgpuAdapter };
    }
    if (backend !== 'headlessgl' || this.base.DISPLAY) return this.base;
    if (!this.xserver && this.xvfbError === undefined) {
      try {
        this.xserver = await startXvfb();
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        this.xvfbError = code === 'ENOENT' ? 'Xvfb is not installed' : (error as Error).message;
      }
    }
    return this.xserver ? { ...this.base, DISPLAY: this.xserver.display, [PRIVATE_XVFB_ENV]: this.xserver.display } : this.base;
  }

  /** Adds why no private X server could be started to headless-gl's 'no X display' status. */
  annotate(outcomes: { status: { backend: string; available: boolean; reason?: string } }[]): void {
    if (!this.xvfbError) return;
    for (const o of outcomes) {
      if (o.status.backend === 'headlessgl' && !o.status.available) o.status.reason = `${o.status.reason} (${this.xvfbError})`;
    }
  }

  /** Process id of the private X server, if one runs. */
  xvfbPid(): number | undefined {
    return this.xserver?.pid;
  }

  stop(): void {
    this.xserver?.stop();
    this.xserver = undefined;
  }
}
