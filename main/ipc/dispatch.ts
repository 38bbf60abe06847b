/**
 * The pure dispatch: validate a call against the contract, run its handler, validate the answer.
 * It never throws: an unknown channel, a bad payload, a handler that throws or returns something
 * off-contract all become error Results. Electron IPC and browser mode are thin bindings on top.
 */
import type { z } from 'zod';
import { contract as appContract, isChannel, type ChannelSpec, type JobEvent } from '../../shared/ipc';
import { err, errAt, ok, type Result } from '../../shared/result';

/** What a handler gets besides its input. */
export interface HandlerContext {
  /** Who called (a webContents id in Electron, a connection id in browser mode, 'cli'). */
  senderId: string;
  /** Aborted by `job:cancel` (job channels only; never aborted otherwise). */
  signal: AbortSignal;
  /** Sends a progress event to the caller only (no-op for non-job channels). */
  progress(message: string, fraction?: number, data?: unknown): void;
}

export type Handler<S extends ChannelSpec> = (input: z.infer<S['input']>, ctx: HandlerContext) => Promise<Result<z.infer<S['output']>>>;

/** One handler per channel of contract C: a missing one is a compile error. */
export type Handlers<C extends Record<string, ChannelSpec>> = { [K in keyof C]: Handler<C[K]> };

/** Running jobs, keyed by sender and job id, so one caller can never cancel another's job. */
export class JobRegistry {
  private readonly jobs = new Map<string, AbortController>();

  start(senderId: string, jobId: string): AbortController | undefined {
    const key = `${senderId}\u0000${jobId}`;
    if (this.jobs.has(key)) return undefined;
    const controller = new AbortController();
    this.jobs.set(key, controller);
    return controller;
  }

  finish(senderId: string, jobId: string): void {
    this.jobs.delete(`${senderId}\u0000${jobId}`);
  }

  /** Aborts the caller's job; false when there is no such running job. */
  cancel(senderId: string, jobId: string): boolean {
    const controller = this.jobs.get(`${senderId}\u0000${jobId}`);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  /** Aborts every job of a caller that went away (window closed, socket dropped). */
  cancelAll(senderId: string): void {
    for (const [key, controller] of this.jobs) {
      if (key.startsWith(`${senderId}\u0000`)) controller.abort();
    }
  }
}

/** Where a call comes from and where its job events go. */
export interface CallContext {
  senderId: string;
  jobs: JobRegistry;
  emit(event: JobEvent): void;
  /** Called with unexpected exceptions (never with inputs, which may hold secrets). */
  onInternalError?(channel: string, error: unknown): void;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`)
    .join('; ');
}

const NEVER = new AbortController().signal;

/**
 * Runs one call. `raw` is whatever arrived over the wire; it is validated before the handler sees
 * it, and the handler's value is validated (and stripped of undeclared keys) before it leaves.
 */
export async function dispatch<C extends Record<string, ChannelSpec>>(
  contract: C,
  handlers: Handlers<C>,
  channel: unknown,
  raw: unknown,
  ctx: CallContext,
): Promise<Result<unknown>> {
  if (typeof channel !== 'string' || !Object.prototype.hasOwnProperty.call(contract, channel)) {
    return err('UNKNOWN_CHANNEL', `There is no channel ${JSON.stringify(String(channel)).slice(0, 80)}.`);
  }
  const spec = contract[channel] as ChannelSpec;
  const parsed = spec.input.safeParse(raw ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0]?.path ?? [];
    return first.length ? errAt(first.map(String).join('.'), 'BAD_INPUT', describeIssues(parsed.error)) : err('BAD_INPUT', describeIssues(parsed.error));
  }
  const input = parsed.data as { jobId?: string };

  let controller: AbortController | undefined;
  if (spec.job) {
    if (typeof input.jobId !== 'string') return err('BAD_INPUT', 'jobId: is required for this channel');
    controller = ctx.jobs.start(ctx.senderId, input.jobId);
    if (!controller) return err('BAD_INPUT', `jobId: job ${input.jobId} is already running`);
  }
  const jobId = input.jobId;
  const handlerCtx: HandlerContext = {
    senderId: ctx.senderId,
    signal: controller?.signal ?? NEVER,
    progress: (message, fraction, data) => {
      if (!controller || jobId === undefined || controller.signal.aborted) return;
      ctx.emit({
        jobId,
        message,
        ...(fraction === undefined ? {} : { fraction: Math.min(1, Math.max(0, fraction)) }),
        ...(data === undefined ? {} : { data }),
      });
    },
  };
  try {
    const handler = handlers[channel as keyof C] as Handler<ChannelSpec>;
    const result = await handler(parsed.data, handlerCtx);
    if (!result || typeof result !== 'object' || typeof result.ok !== 'boolean') {
      throw new Error(`handler for ${channel} returned no Result`);
    }
    if (!result.ok) return result;
    const out = spec.output.safeParse(result.value);
    if (!out.success) throw new Error(`handler for ${channel} answered off-contract: ${describeIssues(out.error)}`);
    return ok(out.data);
  } catch (error) {
    if (controller?.signal.aborted) return err('CANCELLED', 'The job was cancelled.');
    ctx.onInternalError?.(channel, error);
    return err('INTERNAL', 'The app hit an unexpected error; the details are in its log.', 'Try again; if it keeps happening, report it with the log.');
  } finally {
    if (controller && jobId !== undefined) ctx.jobs.finish(ctx.senderId, jobId);
  }
}

/** Dispatch bound to the app's contract. */
export function dispatchApp(handlers: Handlers<typeof appContract>, channel: unknown, raw: unknown, ctx: CallContext): Promise<Result<unknown>> {
  return dispatch(appContract, handlers, channel, raw, ctx);
}

export { isChannel };
