// Further CLI commands (studies, RESuM, report) register themselves here.
import type { Command } from 'commander';
import { registerStudyCommand } from './study-command.ts';
import { registerResumCommand } from './resum-command.ts';
import { registerReportCommand } from './report-command.ts';
import { registerResumStudyCommand } from './resum-study-command.ts';

export function registerCommands(program: Command): void {
  registerStudyCommand(program);
  registerResumCommand(program);
  registerResumStudyCommand(program);
  registerReportCommand(program);
}
