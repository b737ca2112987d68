// Further CLI commands (studies, RESuM) register themselves here.
import type { Command } from 'commander';

export function registerCommands(_program: Command): void {}
