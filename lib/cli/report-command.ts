// `detopt report <run-folder>`: writes evolution.svg and report.html again from a finished run's
// files, e.g. for a run made before report.html existed or after a study aggregated it.
import type { Command } from 'commander';
import { rewriteRunReport } from '../../pipelines/run.ts';

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description("write a finished run folder's report.html (and evolution.svg) again from its config, history and summary")
    .argument('<run-folder>', 'a folder written by detopt run or a study (holds summary.json)')
    .action(async (dir: string) => {
      const path = await rewriteRunReport(dir);
      console.log(`report: ${path}`);
    });
}
