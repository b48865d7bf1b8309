// A small ZIP writer for tests: honest archives like an accounting program's export, and crafted ones a
// library would refuse to write (a climbing `../` name, sizes that lie in the central directory).
import zlib from "node:zlib";

export interface ZipItem {
  name: string;
  bytes: Buffer;
  /** Write this name as CP866 without the UTF-8 flag, as Windows archivers do. */
  cp866?: boolean;
  /** Declare this unpacked size instead of the real one (a lying archive). */
  declaredSize?: number;
  store?: boolean;
}

const cp866 = (s: string) => {
  // Only Cyrillic and ASCII are needed here.
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0x3f;
    if (c < 0x80) out.push(c);
    else if (c >= 0x410 && c <= 0x42f) out.push(0x80 + c - 0x410);
    else if (c >= 0x430 && c <= 0x43f) out.push(0xa0 + c - 0x430);
    else if (c >= 0x440 && c <= 0x44f) out.push(0xe0 + c - 0x440);
    else out.push(0x3f);
  }
  return Buffer.from(out);
};

export function zipOf(items: ZipItem[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const item of items) {
    const name = item.cp866 ? cp866(item.name) : Buffer.from(item.name, "utf8");
    const data = item.store ? item.bytes : zlib.deflateRawSync(item.bytes);
    const crc = zlib.crc32(item.bytes);
    const size = item.declaredSize ?? item.bytes.length;
    const flags = item.cp866 ? 0 : 0x800;
    const method = item.store ? 0 : 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(items.length, 8);
  end.writeUInt16LE(items.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
