/**
 * Prints what the measured children will see on this Node binary: versions,
 * whether the peak RSS can be reset, whether msgpackr found its native
 * decoder. Run by the orchestrator with the children's binary, because that
 * binary may not be the one running the orchestrator.
 */
import { isNativeAccelerationEnabled } from 'msgpackr';
import { resetPeakRss } from './probes.js';
import { capabilitiesOf, probeCapabilities } from './capabilities.js';

const capabilities = capabilitiesOf(await probeCapabilities());
process.stdout.write(
  JSON.stringify({
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    peakResetAvailable: resetPeakRss(),
    msgpackrNative: isNativeAccelerationEnabled,
    capabilities,
  }),
);
