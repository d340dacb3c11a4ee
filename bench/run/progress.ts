/**
 * Live progress of a run: cases and runs done, what is running, and an ETA
 * from the run times measured so far. The orchestrator feeds it; a sink (the
 * CLI's status line) renders `status()`.
 *
 * The estimate of a run not yet measured is the mean measured time of the same
 * codec and phase, else of the same phase, else of any run; the remaining work
 * is divided by the number of jobs. Side measurements (sizes, throughput) are
 * not in it until they run.
 */
import { monotonicMs } from '../measure/protocol.js';
import type { ProgressStatus } from '../types.js';
import type { PlannedCase } from './planned-case.js';

const key = (pc: PlannedCase): string => `${pc.spec.codec}\u0000${pc.spec.phase}`;

export class ProgressTracker {
  private readonly pending = new Map<PlannedCase, number>();
  private readonly running = new Map<string, { pc: PlannedCase; since: number }>();
  private readonly side = new Set<string>();
  private readonly byCase = new Map<string, number[]>();
  private readonly byPhase = new Map<string, number[]>();
  private readonly all: number[] = [];
  private runsDone = 0;
  private readonly runsTotal: number;
  private casesDone: number;

  constructor(
    private readonly plan: readonly PlannedCase[],
    private readonly jobs: number,
    private readonly startedMs: number,
    casesDone: number,
  ) {
    for (const pc of plan) this.pending.set(pc, pc.missing);
    this.runsTotal = plan.reduce((s, pc) => s + pc.missing, 0);
    this.casesDone = casesDone;
  }

  /** A run started: the status with it running. */
  runStarted(label: string, pc: PlannedCase): ProgressStatus {
    this.pending.set(pc, (this.pending.get(pc) ?? 1) - 1);
    this.running.set(label, { pc, since: monotonicMs() });
    return this.status();
  }

  /** A run ended, with its measured wall time (spawn to exit, the basis of the estimate) if its child gave one. */
  runFinished(label: string, pc: PlannedCase, ms: number | undefined): void {
    this.running.delete(label);
    this.runsDone++;
    if (ms === undefined) return;
    const push = (m: Map<string, number[]>, k: string): void => {
      m.set(k, [...(m.get(k) ?? []), ms]);
    };
    push(this.byCase, key(pc));
    push(this.byPhase, pc.spec.phase);
    this.all.push(ms);
  }

  /** Side work that takes a job slot (compressed sizes): shown as running, not counted as a run. */
  sideStarted(label: string): void {
    this.side.add(label);
  }

  sideFinished(label: string): void {
    this.side.delete(label);
  }

  caseDone(): void {
    this.casesDone++;
  }

  private estimate(pc: PlannedCase): number | undefined {
    const mean = (xs: number[] | undefined): number | undefined => (xs && xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
    return mean(this.byCase.get(key(pc))) ?? mean(this.byPhase.get(pc.spec.phase)) ?? mean(this.all);
  }

  status(): ProgressStatus {
    const now = monotonicMs();
    let etaAtMs: number | null = null;
    if (this.all.length > 0) {
      let left = 0;
      for (const [pc, n] of this.pending) left += n * (this.estimate(pc) ?? 0);
      for (const { pc, since } of this.running.values()) left += Math.max(0, (this.estimate(pc) ?? 0) - (now - since));
      etaAtMs = now + left / this.jobs;
    }
    return {
      casesDone: this.casesDone,
      casesTotal: this.plan.length,
      runsDone: this.runsDone,
      runsTotal: this.runsTotal,
      running: [...this.running.keys(), ...this.side],
      startedMs: this.startedMs,
      etaAtMs,
    };
  }
}
