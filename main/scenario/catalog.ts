// The scenarios shipped in resources/scenarios/, in the order `casebook scenario` lists
// them; the first is the default. JSON imports keep them inside any bundle of the code.

import passwordSpray from '../../resources/scenarios/password-spray.json' with { type: 'json' };
import powershellPhish from '../../resources/scenarios/powershell-phish.json' with { type: 'json' };
import { checkDefinition, type ScenarioDefinition } from './definition.ts';
import { passwordSpray as passwordSprayPlaybook } from './playbooks/password-spray.ts';
import { powershellPhish as powershellPhishPlaybook } from './playbooks/powershell-phish.ts';
import type { Playbook } from './playbooks/types.ts';

const DEFINITIONS: unknown[] = [powershellPhish, passwordSpray];

export const PLAYBOOKS: Record<string, Playbook> = {
  'powershell-phish': powershellPhishPlaybook,
  'password-spray': passwordSprayPlaybook,
};

export function scenarioNames(): string[] {
  return DEFINITIONS.map((definition) => (definition as { name: string }).name);
}

export const DEFAULT_SCENARIO = scenarioNames()[0]!;

/** The checked definition of a shipped scenario, or null for an unknown name. */
export function findScenario(name: string): ScenarioDefinition | null {
  const found = DEFINITIONS.find((definition) => (definition as { name: string }).name === name);
  if (!found) return null;
  const definition = checkDefinition(structuredClone(found));
  if (!PLAYBOOKS[definition.playbook]) throw new Error(`scenario ${definition.name}: unknown playbook ${definition.playbook}`);
  return definition;
}
