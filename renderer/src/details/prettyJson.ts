// Indents JSON text without parsing its values, so numbers keep their exact digits
// (JSON.parse would round 2^53+1 and rewrite 1.50 as 1.5) and strings keep their escapes.

/** Returns `text` indented by `indent` spaces per level, or unchanged when it is not valid JSON. */
export function prettyJson(text: string, indent = 2): string {
  try {
    JSON.parse(text);
  } catch {
    return text;
  }
  let output = '';
  let depth = 0;
  let index = 0;
  const newline = () => `\n${' '.repeat(depth * indent)}`;

  while (index < text.length) {
    const character = text[index]!;
    if (character === '"') {
      // Copy the whole string literal, escapes included.
      let end = index + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      output += text.slice(index, end + 1);
      index = end + 1;
      continue;
    }
    if (character === ' ' || character === '\t' || character === '\n' || character === '\r') {
      index += 1;
      continue;
    }
    if (character === '{' || character === '[') {
      const close = character === '{' ? '}' : ']';
      let next = index + 1;
      while (/\s/.test(text[next] ?? '')) next += 1;
      if (text[next] === close) {
        output += character + close;
        index = next + 1;
        continue;
      }
      depth += 1;
      output += character + newline();
    } else if (character === '}' || character === ']') {
      depth -= 1;
      output += newline() + character;
    } else if (character === ',') {
      output += `,${newline()}`;
    } else if (character === ':') {
      output += ': ';
    } else {
      output += character;
    }
    index += 1;
  }
  return output;
}
