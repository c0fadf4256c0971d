import QRCode from 'qrcode';

/** A QR code as rows of modules, `true` where the module is dark. */
export type QrMatrix = boolean[][];

/**
 * Encodes text as a QR matrix. Level L (7 % recovery) keeps the code smallest: a screen shows
 * it sharply, and a WhatsApp login string then fits an 80×24 terminal.
 */
export function qrMatrix(text: string): QrMatrix {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'L' });
  return Array.from({ length: modules.size }, (_, r) =>
    Array.from({ length: modules.size }, (_, c) => modules.get(r, c) === 1),
  );
}

/** How to draw: quiet zone width, and which modules get the character's ink. */
export interface HalfBlockOptions {
  /** Light modules around the code, in modules (the standard asks for 4; 2 scans fine on screens). */
  margin?: number;
  /**
   * Ink the dark modules instead of the light ones. Off by default: a terminal draws characters
   * light on dark, so inking the light modules shows dark-on-light, the way phones read codes.
   */
  invert?: boolean;
}

// Upper half, lower half, both, neither, indexed by (top inked) | (bottom inked) << 1.
const HALF_BLOCKS = [' ', '▀', '▄', '█'] as const;

/**
 * Draws a matrix with half-block characters, two module rows per text line, so the code is
 * square on a terminal (cells are about twice as tall as wide) and half as tall as with full blocks.
 */
export function renderHalfBlocks(matrix: QrMatrix, opts: HalfBlockOptions = {}): string[] {
  const margin = opts.margin ?? 2;
  const size = matrix.length;
  const span = size + 2 * margin;
  // Outside the code (quiet zone) every module is light.
  const inked = (r: number, c: number): boolean => {
    const rr = r - margin;
    const cc = c - margin;
    const dark = rr >= 0 && rr < size && cc >= 0 && cc < size && matrix[rr]![cc] === true;
    return opts.invert ? dark : !dark;
  };
  const lines: string[] = [];
  for (let r = 0; r < span; r += 2) {
    let line = '';
    for (let c = 0; c < span; c++) {
      // An odd last row has no lower half: leave it blank (the terminal's own background).
      const bottom = r + 1 < span && inked(r + 1, c);
      line += HALF_BLOCKS[(inked(r, c) ? 1 : 0) | (bottom ? 2 : 0)];
    }
    lines.push(line);
  }
  return lines;
}

/** Text → the lines of its QR code, ready to print. */
export function renderQr(text: string, opts: HalfBlockOptions = {}): string[] {
  return renderHalfBlocks(qrMatrix(text), opts);
}
