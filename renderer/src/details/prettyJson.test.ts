import { describe, expect, it } from 'vitest';
import { prettyJson } from './prettyJson.ts';

describe('prettyJson', () => {
  it('indents objects and arrays', () => {
    expect(prettyJson('{"a":1,"b":[true,null],"c":{}}')).toBe('{\n  "a": 1,\n  "b": [\n    true,\n    null\n  ],\n  "c": {}\n}');
  });

  it('keeps number text exactly', () => {
    expect(prettyJson('{"big":18446744073709551615,"f":1.50,"e":1E+3,"n":-0.0}')).toBe(
      '{\n  "big": 18446744073709551615,\n  "f": 1.50,\n  "e": 1E+3,\n  "n": -0.0\n}',
    );
  });

  it('keeps strings with structural characters and escapes intact', () => {
    const text = '{"s":"a,b:{c}[d] \\"q\\" \\\\","u":"\\u00e9\\n"}';
    expect(prettyJson(text)).toBe('{\n  "s": "a,b:{c}[d] \\"q\\" \\\\",\n  "u": "\\u00e9\\n"\n}');
  });

  it('reformats already indented text the same way', () => {
    expect(prettyJson('{\n    "a" :  [ 1 , 2 ]\n}')).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
  });

  it('returns invalid JSON unchanged', () => {
    expect(prettyJson('{"a":')).toBe('{"a":');
    expect(prettyJson('plain text')).toBe('plain text');
  });

  it('leaves scalars as they are', () => {
    expect(prettyJson('"x"')).toBe('"x"');
    expect(prettyJson('42')).toBe('42');
  });
});
