// Block type ids of the scap file format (falcosecurity/libs
// userspace/libscap/scap_savefile.h at 48dfd53). The `*_INT` ids are the
// pre-release numbers libscap still accepts; every id here is a file-format
// fact and never changes.

export const BlockType = {
  SECTION_HEADER: 0x0a0d0d0a,
  MACHINE_INFO: 0x201,
  MACHINE_INFO_INT: 0x8002abcd,
  PROCESS_LIST_V1: 0x202,
  PROCESS_LIST_V1_INT: 0x8000abcd,
  PROCESS_LIST_V2: 0x207,
  PROCESS_LIST_V2_INT: 0x8013abcd,
  PROCESS_LIST_V3: 0x209,
  PROCESS_LIST_V3_INT: 0x8014abcd,
  PROCESS_LIST_V4: 0x210,
  PROCESS_LIST_V5: 0x211,
  PROCESS_LIST_V6: 0x212,
  PROCESS_LIST_V7: 0x213,
  PROCESS_LIST_V8: 0x214,
  PROCESS_LIST_V9: 0x215,
  FD_LIST: 0x203,
  FD_LIST_INT: 0x8001abcd,
  FD_LIST_V2: 0x218,
  EVENT: 0x204,
  EVENT_INT: 0x8010abcd,
  EVENT_V2: 0x216,
  EVENT_V2_LARGE: 0x221,
  EVENT_FLAGS: 0x208,
  EVENT_FLAGS_V2: 0x217,
  EVENT_FLAGS_V2_LARGE: 0x222,
  INTERFACE_LIST: 0x205,
  INTERFACE_LIST_INT: 0x8011abcd,
  INTERFACE_LIST_V2: 0x219,
  USER_LIST: 0x206,
  USER_LIST_INT: 0x8012abcd,
  USER_LIST_V2: 0x220,
} as const;

/** Magic number in the section header of a little-endian capture. */
export const SECTION_MAGIC = 0x1a2b3c4d;
/** The same magic as a big-endian writer stores it; libscap does not read those files. */
export const SECTION_MAGIC_SWAPPED = 0x4d3c2b1a;

/** How an event block stores its event. */
export const enum EventBlockKind {
  /** Not an event block. */
  None = 0,
  /** Pre-1.2 layout: the event header has no nparams field (22 bytes). */
  V1 = 1,
  /** Event header with nparams (26 bytes). */
  V2 = 2,
}

/** What kind of event block `type` is (0 when it is none). */
export function eventBlockKind(type: number): EventBlockKind {
  switch (type) {
    case BlockType.EVENT:
    case BlockType.EVENT_INT:
    case BlockType.EVENT_FLAGS:
      return EventBlockKind.V1;
    case BlockType.EVENT_V2:
    case BlockType.EVENT_V2_LARGE:
    case BlockType.EVENT_FLAGS_V2:
    case BlockType.EVENT_FLAGS_V2_LARGE:
      return EventBlockKind.V2;
    default:
      return EventBlockKind.None;
  }
}

/** Whether event blocks of `type` carry a u32 of flags after the cpu id. */
export function eventBlockHasFlags(type: number): boolean {
  return (
    type === BlockType.EVENT_FLAGS ||
    type === BlockType.EVENT_FLAGS_V2 ||
    type === BlockType.EVENT_FLAGS_V2_LARGE
  );
}

/** Whether event blocks of `type` may exceed libscap's 64 KiB read buffer. */
export function eventBlockIsLarge(type: number): boolean {
  return type === BlockType.EVENT_V2_LARGE || type === BlockType.EVENT_FLAGS_V2_LARGE;
}
