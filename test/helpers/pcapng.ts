// A minimal pcapng packet capture, as dumpcap writes one: its section header
// is scap's to the byte (type 0x0a0d0d0a, magic 0x1a2b3c4d, version 1.0).

/** Section header (28 bytes), interface description (Ethernet, 20 bytes), then `packets` enhanced packet blocks of 60 bytes each (92 bytes). */
export function pcapngCapture(packets = 1): { bytes: Buffer; firstPacketAt: number } {
  const shb = Buffer.alloc(28);
  shb.writeUInt32LE(0x0a0d0d0a, 0); shb.writeUInt32LE(28, 4); shb.writeUInt32LE(0x1a2b3c4d, 8);
  shb.writeUInt16LE(1, 12); shb.writeBigInt64LE(-1n, 16); shb.writeUInt32LE(28, 24);
  const idb = interfaceBlock();
  const epb = Buffer.alloc(32 + 60);
  epb.writeUInt32LE(6, 0); epb.writeUInt32LE(92, 4); epb.writeUInt32LE(60, 20); epb.writeUInt32LE(60, 24); epb.writeUInt32LE(92, 88);
  return { bytes: Buffer.concat([shb, idb, ...Array<Buffer>(packets).fill(epb)]), firstPacketAt: shb.length + idb.length };
}

/** pcapng's interface description block (type 1): Ethernet, snaplen 65535. */
export function interfaceBlock(): Buffer {
  const idb = Buffer.alloc(20);
  idb.writeUInt32LE(1, 0); idb.writeUInt32LE(20, 4); idb.writeUInt16LE(1, 8); idb.writeUInt32LE(65535, 12); idb.writeUInt32LE(20, 16);
  return idb;
}
