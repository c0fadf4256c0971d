import { describe, expect, it } from 'vitest';
import { connectorFor } from './config.ts';

describe('connectorFor', () => {
  const none = { legacyCreds: false, multiDeviceAuth: false };

  it('runs the connector recorded at creation, whatever is stored or configured', () => {
    expect(connectorFor({ ...none, recorded: 'legacy' }, 'multidevice')).toBe('legacy');
    expect(
      connectorFor({ recorded: 'multidevice', legacyCreds: true, multiDeviceAuth: false }, 'legacy'),
    ).toBe('multidevice');
  });

  it('keeps a linked session without a record on the protocol it is linked with', () => {
    expect(connectorFor({ legacyCreds: true, multiDeviceAuth: false }, 'multidevice')).toBe('legacy');
    expect(connectorFor({ legacyCreds: false, multiDeviceAuth: true }, 'legacy')).toBe('multidevice');
  });

  it('uses WA_CONNECTOR for a session that was never linked', () => {
    expect(connectorFor(none, 'multidevice')).toBe('multidevice');
    expect(connectorFor(none, 'legacy')).toBe('legacy');
  });
});
