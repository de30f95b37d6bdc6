import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildProgram } from './program.js';

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');

/**
 * Returns each `ciem <command> ...` invocation the README shows in inline code or code
 * blocks, with the options it names. Commands joined by `&&` or `|` count apart.
 */
function readmeInvocations(): Array<{ command: string; options: string[]; text: string }> {
  const snippets: string[] = [];
  for (const block of readme.matchAll(/```[a-z]*\n([\s\S]*?)```/g)) {
    snippets.push(...(block[1] ?? '').split('\n'));
  }
  const prose = readme.replace(/```[a-z]*\n[\s\S]*?```/g, '');
  for (const span of prose.matchAll(/`([^`\n]+)`/g)) snippets.push(span[1] ?? '');

  const found: Array<{ command: string; options: string[]; text: string }> = [];
  for (const snippet of snippets) {
    for (const part of snippet.split(/&&|\|(?!\|)/)) {
      const match = /(?:^|\s)(?:npx )?ciem ([a-z]+)\b(.*)$/.exec(part.trim());
      if (match === null) continue;
      const options = [...(match[2] ?? '').matchAll(/(?:^|[\s[])(--[a-z][a-z-]*)/g)].map(
        (option) => option[1] as string,
      );
      found.push({ command: match[1] as string, options, text: part.trim() });
    }
  }
  return found;
}

const program = buildProgram();
const commands = program.commands.filter((command) => command.name() !== 'help');
const invocations = readmeInvocations();

describe('ciem help and README', () => {
  it('README shows every command', () => {
    const shown = new Set(invocations.map((invocation) => invocation.command));
    for (const command of commands) expect(shown, command.name()).toContain(command.name());
  });

  it('README options exist in commands', () => {
    expect(invocations.length).toBeGreaterThan(5);
    for (const invocation of invocations) {
      const command = commands.find((entry) => entry.name() === invocation.command);
      expect(command, invocation.text).toBeDefined();
      const known = command?.options.map((option) => option.long) ?? [];
      for (const option of invocation.options) expect(known, invocation.text).toContain(option);
    }
  });

  it('README documents every option', () => {
    for (const command of commands) {
      const documented = new Set(
        invocations
          .filter((invocation) => invocation.command === command.name())
          .flatMap((invocation) => invocation.options),
      );
      for (const option of command.options) {
        expect(documented, `ciem ${command.name()}`).toContain(option.long);
      }
    }
  });

  it('help lists summaries and options', () => {
    const top = program.helpInformation();
    for (const command of commands) {
      expect(command.summary(), command.name()).not.toBe('');
      expect(top).toContain(command.name());
      // Help wraps long lines, so spaces and line breaks compare as one space.
      const help = command.helpInformation().replace(/\s+/g, ' ');
      expect(help).toContain(command.description().replace(/\s+/g, ' '));
      for (const option of command.options) {
        expect(option.description, option.long).not.toBe('');
        expect(help).toContain(option.long);
      }
    }
  });
});
