// Further CLI commands (studies, RESuM) register themselves here.
import type { Command } from 'commander';
import { registerStudyCommand } from './study-command.ts';
import { registerResumCommand } from './resum-command.ts';

export function registerCommands(program: Command): void {
  registerStudyCommand(program);
  registerResumCommand(program);
}
