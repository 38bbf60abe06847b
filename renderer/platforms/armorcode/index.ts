/** ArmorCode in the renderer: the tunnel picture, and the 22 → 443 port switch the checks can suggest. */
import type { RendererPlatform } from '../types';
import { ArmorcodeDiagram } from './diagram';

export const armorcodeView: RendererPlatform = {
  configsDiagram: ArmorcodeDiagram,
  // The vendor's tunnel server listens on 22, and on 443 for networks that block outbound 22.
  portAnswer: { key: 'port', ports: [22, 443], default: 22 },
};
