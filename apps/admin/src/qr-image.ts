import QRCode from 'qrcode';

/** The image formats the QR routes serve. */
export type QrFormat = 'png' | 'svg';

const COLORS = { dark: '#111111ff', light: '#ffffffff' };

/** Renders a WhatsApp QR text as an image: a 4-module quiet zone, as scanners expect. */
export async function renderQr(
  text: string,
  format: QrFormat,
): Promise<{ body: Buffer | string; type: string }> {
  if (format === 'svg') {
    const svg = await QRCode.toString(text, {
      type: 'svg',
      margin: 4,
      errorCorrectionLevel: 'M',
      color: COLORS,
    });
    return { body: svg, type: 'image/svg+xml; charset=utf-8' };
  }
  const png = await QRCode.toBuffer(text, {
    type: 'png',
    margin: 4,
    width: 360,
    errorCorrectionLevel: 'M',
    color: COLORS,
  });
  return { body: png, type: 'image/png' };
}
