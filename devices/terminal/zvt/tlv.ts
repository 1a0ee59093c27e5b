/**
 * The BER-TLV container of BMP 06: multi-byte tags (first byte's low five bits all set ⇒ more tag
 * bytes, each with bit 8 meaning "more follows"), lengths in one byte, or 81 nn, or 82 hi lo
 * (big-endian, unlike the APDU length). Constructed tags (bit 0x20 of the first byte) nest.
 */

export interface TlvNode {
  /** The tag bytes as one number, e.g. 0x1f10, 0x24. */
  tag: number;
  value: Buffer;
  /** Parsed children when the tag is constructed. */
  children?: TlvNode[];
  /** Set when the tag says constructed but its value is not TLV. */
  malformed?: boolean;
}

function tagBytes(tag: number): number[] {
  const bytes: number[] = [];
  let t = tag;
  do {
    bytes.unshift(t & 0xff);
    t = Math.floor(t / 256);
  } while (t > 0);
  return bytes;
}

export function isConstructed(tag: number): boolean {
  return ((tagBytes(tag)[0] ?? 0) & 0x20) !== 0;
}

export function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length <= 0xff) return Buffer.from([0x81, length]);
  if (length <= 0xffff) return Buffer.from([0x82, length >> 8, length & 0xff]);
  throw new RangeError(`TLV length too large: ${length}`);
}

export function encodeTlv(nodes: TlvNode[]): Buffer {
  const parts: Buffer[] = [];
  for (const node of nodes) {
    const value = node.children ? encodeTlv(node.children) : node.value;
    parts.push(Buffer.from(tagBytes(node.tag)), encodeLength(value.length), value);
  }
  return Buffer.concat(parts);
}

/** Reads a BER length at `offset`; returns [length, bytes used]. */
export function decodeLength(buf: Buffer, offset: number): [number, number] {
  const first = buf[offset];
  if (first === undefined) throw new RangeError("TLV length missing");
  if (first < 0x80) return [first, 1];
  if (first === 0x81) {
    const b = buf[offset + 1];
    if (b === undefined) throw new RangeError("TLV length truncated");
    return [b, 2];
  }
  if (first === 0x82) {
    if (offset + 3 > buf.length) throw new RangeError("TLV length truncated");
    return [buf.readUInt16BE(offset + 1), 3];
  }
  throw new RangeError(`unsupported TLV length form 0x${first.toString(16)}`);
}

export function decodeTlv(buf: Buffer): TlvNode[] {
  const nodes: TlvNode[] = [];
  let i = 0;
  while (i < buf.length) {
    const first = buf[i++]!;
    let tag = first;
    if ((first & 0x1f) === 0x1f) {
      for (;;) {
        const next = buf[i++];
        if (next === undefined) throw new RangeError("TLV tag truncated");
        tag = tag * 256 + next;
        if ((next & 0x80) === 0) break;
      }
    }
    const [length, used] = decodeLength(buf, i);
    i += used;
    if (i + length > buf.length) throw new RangeError(`TLV value of tag ${tag.toString(16)} truncated`);
    const value = Buffer.from(buf.subarray(i, i + length));
    i += length;
    const node: TlvNode = { tag, value };
    if (first & 0x20) {
      // Vendors set the constructed bit on tags whose value is not TLV (Feig, Ingenico recordings):
      // such a value is kept as it is instead of failing the whole container.
      try {
        node.children = decodeTlv(value);
      } catch {
        node.malformed = true;
      }
    }
    nodes.push(node);
  }
  return nodes;
}

/** The first node with `tag` at this level only (never inside another tag). */
export function topLevelTlv(nodes: TlvNode[] | undefined, tag: number): TlvNode | undefined {
  return nodes?.find((n) => n.tag === tag);
}

/** Depth-first search for the first node with `tag`. */
export function findTlv(nodes: TlvNode[] | undefined, tag: number): TlvNode | undefined {
  if (!nodes) return undefined;
  for (const node of nodes) {
    if (node.tag === tag) return node;
    const inner = findTlv(node.children, tag);
    if (inner) return inner;
  }
  return undefined;
}

export function findAllTlv(nodes: TlvNode[] | undefined, tag: number, out: TlvNode[] = []): TlvNode[] {
  if (!nodes) return out;
  for (const node of nodes) {
    if (node.tag === tag) out.push(node);
    findAllTlv(node.children, tag, out);
  }
  return out;
}
