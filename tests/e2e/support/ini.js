// Sets keys in the text of an INI file (the layout of config/hearth.ini): a key already in
// its section has its line replaced, a new key goes right after the section's header, and a
// missing section is appended. Comments and every other line stay as they were.
'use strict';

// Returns `text` with every values[section][key] set. Values are written as they are.
function setIniValues(text, values) {
  const lines = text.split('\n');
  for (const [section, entries] of Object.entries(values)) {
    for (const [key, value] of Object.entries(entries)) {
      setOne(lines, section, key, String(value));
    }
  }
  return lines.join('\n');
}

function setOne(lines, section, key, value) {
  let header = -1;
  let end = lines.length;
  for (let i = 0; i < lines.length; ++i) {
    const match = /^\s*\[([^\]]+)\]\s*$/.exec(lines[i]);
    if (!match) continue;
    if (header >= 0) { end = i; break; }
    if (match[1].trim() === section) header = i;
  }
  if (header < 0) {
    lines.push('', `[${section}]`, `${key} = ${value}`);
    return;
  }
  for (let i = header + 1; i < end; ++i) {
    const match = /^\s*([^;=\s][^=]*?)\s*=/.exec(lines[i]);
    if (match && match[1] === key) {
      lines[i] = `${key} = ${value}`;
      return;
    }
  }
  lines.splice(header + 1, 0, `${key} = ${value}`);
}

module.exports = { setIniValues };
