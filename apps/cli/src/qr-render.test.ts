import { describe, expect, it } from 'vitest';
import { type QrMatrix, qrMatrix, renderHalfBlocks, renderQr } from './qr-render.ts';

// Reads half-block lines back into inked cells, the inverse of renderHalfBlocks.
function unrender(lines: string[]): boolean[][] {
  const rows: boolean[][] = [];
  for (const line of lines) {
    const chars = [...line];
    rows.push(chars.map((c) => c === '▀' || c === '█'));
    rows.push(chars.map((c) => c === '▄' || c === '█'));
  }
  return rows;
}

// The shape of a WhatsApp Web login string: `1@<24 bytes base64>,<public key>,<client id>`.
const WA_LOGIN = `1@${Buffer.alloc(24, 9).toString('base64')},${Buffer.alloc(32, 7).toString('base64')},${Buffer.alloc(16, 3).toString('base64')}`;

describe('qrMatrix', () => {
  it('returns a square matrix with the three finder patterns', () => {
    const m = qrMatrix('hello');
    expect(m.length).toBe(21);
    for (const row of m) expect(row.length).toBe(21);
    // Each finder pattern's outer ring is dark along its top edge.
    for (const [r, c] of [
      [0, 0],
      [0, 14],
      [14, 0],
    ] as const) {
      expect(m[r]!.slice(c, c + 7).every(Boolean)).toBe(true);
    }
  });
});

describe('renderHalfBlocks', () => {
  it('draws two module rows per line and round-trips every module, quiet zone light', () => {
    const m = qrMatrix(WA_LOGIN);
    const lines = renderHalfBlocks(m, { margin: 2 });
    const span = m.length + 4;
    expect(lines.length).toBe(Math.ceil(span / 2));
    for (const line of lines) expect([...line].length).toBe(span);
    const inked = unrender(lines);
    // Default: light modules are inked, so inked === !dark inside the code, inked in the margin.
    for (let r = 0; r < span; r++) {
      for (let c = 0; c < span; c++) {
        const inCode = r >= 2 && r < span - 2 && c >= 2 && c < span - 2;
        const expected = inCode ? !m[r - 2]![c - 2] : true;
        expect(inked[r]![c], `module ${r},${c}`).toBe(expected);
      }
    }
  });

  it('inks the dark modules instead with invert', () => {
    const m: QrMatrix = [
      [true, false],
      [false, true],
    ];
    expect(renderHalfBlocks(m, { margin: 0, invert: true })).toEqual(['▀▄']);
    expect(renderHalfBlocks(m, { margin: 0 })).toEqual(['▄▀']);
  });

  it('leaves the lower half of an odd last row blank', () => {
    const m: QrMatrix = [[true]];
    expect(renderHalfBlocks(m, { margin: 1 })).toEqual(['█▀█', '▀▀▀']);
  });

  it('fits a WhatsApp login code in 80 columns and 24 lines', () => {
    const lines = renderQr(WA_LOGIN);
    expect([...lines[0]!].length).toBeLessThanOrEqual(80);
    expect(lines.length).toBeLessThanOrEqual(24 - 3);
  });
});
