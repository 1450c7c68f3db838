//! The pre-check of an .xls (an OLE compound file, [MS-CFB]) before
//! calamine reads it. calamine trusts the container: it follows sector
//! chains until they end (a FAT that points a sector at itself never ends,
//! and grows memory without bound), reserves memory for the cell count a
//! DIMENSIONS record declares, and fills a dense range between the first
//! and last cell. A failed allocation aborts the process (it is no panic),
//! so each of these is checked here, on the same bytes calamine will see:
//! the walk mirrors calamine's own (stream names matched ignoring ASCII
//! case, the mini-stream cutoff fixed at 4096 bytes whatever the header
//! says), so a file cannot look sane here and differ there.

use super::limits::{Exceeded, Limit, MAX_CELLS, MAX_STREAM_BYTES};

pub const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Ids from here on are markers, not sectors.
const DIFSECT: u32 = 0xFFFF_FFFC;
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
/// calamine reads streams shorter than this from the mini stream.
const MINI_CUTOFF: u64 = 4096;
const MINI_SECTOR: usize = 64;

/// Why an .xls was refused before calamine saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The container is damaged in a way calamine would not survive (a
    /// sector chain that never ends).
    Damaged,
    /// Not readable as a container; calamine stops at the same point with
    /// an error of its own (it is left to say so).
    Unreadable,
    /// A declared or real size is past a limit.
    Limit(Exceeded),
}

impl From<Exceeded> for Refusal {
    fn from(e: Exceeded) -> Refusal {
        Refusal::Limit(e)
    }
}

pub fn le16(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at.checked_add(2)?).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

pub fn le32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at.checked_add(4)?).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn le64(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..at.checked_add(8)?).map(|s| u64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]]))
}

/// The container as calamine sees it.
struct Container<'a> {
    bytes: &'a [u8],
    /// Sector size.
    ss: usize,
    /// Highest sector id calamine accepts (`len / ss`).
    maxid: usize,
    fat: Vec<u32>,
    mini_fat: Vec<u32>,
    mini_stream: Vec<u8>,
    /// Directory entries: name, start sector, length.
    dirs: Vec<(String, u32, u64)>,
}

impl<'a> Container<'a> {
    /// The bytes of sector `id` (the header is sector -1); short at the end
    /// of the file, as calamine reads it.
    fn sector(&self, id: u32) -> Result<&'a [u8], Refusal> {
        if id as usize > self.maxid {
            return Err(Refusal::Unreadable);
        }
        let start = (id as usize + 1).saturating_mul(self.ss).min(self.bytes.len());
        let end = start.saturating_add(self.ss).min(self.bytes.len());
        Ok(&self.bytes[start..end])
    }

    /// A chain read as calamine's `get_chain` reads it, but refused when it
    /// goes on longer than the file has sectors (a cycle) or past the
    /// stream limit.
    fn chain(&self, start: u32, table: &[u32], sector: Sector, len: u64) -> Result<Vec<u8>, Refusal> {
        let (size, max_steps) = match sector {
            Sector::Regular => (self.ss, self.maxid + 1),
            Sector::Mini => (MINI_SECTOR, self.mini_stream.len() / MINI_SECTOR + 1),
        };
        let mut out = Vec::new();
        let mut id = start;
        let mut steps = 0usize;
        while id != ENDOFCHAIN {
            steps += 1;
            if steps > max_steps {
                return Err(Refusal::Damaged);
            }
            let data = match sector {
                Sector::Regular => self.sector(id)?,
                Sector::Mini => {
                    if id as usize > self.maxid.saturating_mul(8) {
                        return Err(Refusal::Unreadable);
                    }
                    let start = (id as usize).saturating_mul(MINI_SECTOR).min(self.mini_stream.len());
                    let end = start.saturating_add(MINI_SECTOR).min(self.mini_stream.len());
                    &self.mini_stream[start..end]
                }
            };
            let remaining = len.saturating_sub(out.len() as u64);
            let take = (data.len() as u64).min(remaining) as usize;
            out.extend_from_slice(&data[..take]);
            if out.len() as u64 > MAX_STREAM_BYTES {
                return Err(Exceeded::new(Limit::StreamBytes, out.len() as u64).into());
            }
            if out.len() as u64 >= len {
                break;
            }
            // A short sector at the end of the file: calamine goes on along
            // the chain (reading zeros), and so does this walk.
            let _ = size;
            id = *table.get(id as usize).ok_or(Refusal::Unreadable)?;
        }
        Ok(out)
    }
}

#[derive(Clone, Copy)]
enum Sector {
    Regular,
    Mini,
}

/// Reads the container's tables and directory as calamine does.
fn container(b: &[u8]) -> Result<Container<'_>, Refusal> {
    let shift = le16(b, 0x1E).ok_or(Refusal::Unreadable)?;
    let ss = match shift {
        9 => 512,
        12 => 4096,
        _ => return Err(Refusal::Unreadable),
    };
    let mut c = Container {
        bytes: b,
        ss,
        maxid: b.len() / ss,
        fat: Vec::new(),
        mini_fat: Vec::new(),
        mini_stream: Vec::new(),
        dirs: Vec::new(),
    };
    let dir_start = le32(b, 0x30).ok_or(Refusal::Unreadable)?;
    let mini_fat_start = le32(b, 0x3C).ok_or(Refusal::Unreadable)?;
    let mini_fat_len = u64::from(le32(b, 0x40).ok_or(Refusal::Unreadable)?);
    let mut difat: Vec<u32> = (0..109).filter_map(|i| le32(b, 0x4C + 4 * i)).collect();
    let mut next = le32(b, 0x44).ok_or(Refusal::Unreadable)?;
    let mut hops = 0usize;
    while next < 0xFFFF_FFFA {
        hops += 1;
        if hops > c.maxid + 1 {
            return Err(Refusal::Damaged);
        }
        difat.extend(c.sector(next)?.chunks_exact(4).filter_map(|s| le32(s, 0)));
        next = difat.pop().ok_or(Refusal::Unreadable)?;
    }
    let mut fat = Vec::new();
    for id in difat.into_iter().filter(|&id| id < DIFSECT) {
        fat.extend(c.sector(id)?.chunks_exact(4).filter_map(|s| le32(s, 0)));
        if fat.len() > (c.maxid + 1) * (ss / 4) {
            return Err(Refusal::Damaged);
        }
    }
    c.fat = fat;
    let dir = c.chain(dir_start, &c.fat, Sector::Regular, u64::MAX)?;
    for e in dir.chunks_exact(128) {
        let units: Vec<u16> = e[..64].chunks_exact(2).filter_map(|u| le16(u, 0)).collect();
        let mut name = String::from_utf16_lossy(&units);
        if let Some(l) = name.as_bytes().iter().position(|&x| x == 0) {
            name.truncate(l);
        }
        let start = le32(e, 116).ok_or(Refusal::Unreadable)?;
        let len = if ss == 512 {
            u64::from(le32(e, 120).ok_or(Refusal::Unreadable)?)
        } else {
            le64(e, 120).ok_or(Refusal::Unreadable)?
        };
        c.dirs.push((name, start, len));
    }
    let Some(&(_, root_start, root_len)) = c.dirs.first() else {
        return Err(Refusal::Unreadable);
    };
    if mini_fat_len > 0 {
        c.mini_stream = c.chain(root_start, &c.fat, Sector::Regular, root_len)?;
        let mini_fat = c.chain(mini_fat_start, &c.fat, Sector::Regular, mini_fat_len.saturating_mul(ss as u64))?;
        c.mini_fat = mini_fat.chunks_exact(4).filter_map(|s| le32(s, 0)).collect();
    }
    Ok(c)
}

/// A stream by name, as calamine's `get_stream` finds and reads it (first
/// directory entry whose name matches ignoring ASCII case).
fn stream(c: &Container, names: &[&str]) -> Result<Option<Vec<u8>>, Refusal> {
    for name in names {
        if let Some((_, start, len)) = c.dirs.iter().find(|(n, ..)| n.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
        {
            return read_entry(c, *start, *len).map(Some);
        }
    }
    Ok(None)
}

fn read_entry(c: &Container, start: u32, len: u64) -> Result<Vec<u8>, Refusal> {
    if len < MINI_CUTOFF {
        c.chain(start, &c.mini_fat, Sector::Mini, len)
    } else {
        c.chain(start, &c.fat, Sector::Regular, len)
    }
}

/// Checks an .xls before calamine reads it: every stream's chain ends
/// within the file, and the workbook stream's DIMENSIONS records and cell
/// positions stay within the cell limit. A container that cannot be read
/// at all is left to calamine (`Ok`) only when calamine would stop at the
/// same point with an error rather than a runaway allocation.
pub fn check_xls(bytes: &[u8]) -> Result<(), Refusal> {
    let c = container(bytes)?;
    // The streams calamine reads when it opens the file.
    for name in ["\u{5}SummaryInformation", "\u{5}DocumentSummaryInformation", "Book"] {
        stream(&c, &[name])?;
    }
    match stream(&c, &["Workbook", "Book"])? {
        Some(s) => check_records(&s),
        None => Ok(()),
    }
}

/// The workbook stream of an .xls, read as [`check_xls`] reads it (for the
/// number formats calamine does not give); none when it cannot be read.
pub fn workbook_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    stream(&container(bytes).ok()?, &["Workbook", "Book"]).ok().flatten()
}

/// Walks the BIFF records of the workbook stream: the range each sheet's
/// DIMENSIONS declares, and the rectangle its cells span, must stay within
/// the cell limit; no cell column past the 256 an .xls has.
fn check_records(stream: &[u8]) -> Result<(), Refusal> {
    let mut i = 0usize;
    let mut depth = 0usize;
    let mut bbox: Option<(u32, u32, u32, u32)> = None;
    let check_box = |b: &Option<(u32, u32, u32, u32)>| -> Result<(), Refusal> {
        if let Some((r0, r1, c0, c1)) = *b {
            let cells = (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1);
            if cells > MAX_CELLS {
                return Err(Exceeded::new(Limit::Cells, cells).declared().into());
            }
        }
        Ok(())
    };
    while let (Some(typ), Some(len)) = (le16(stream, i), le16(stream, i + 2)) {
        let Some(data) = stream.get(i + 4..i + 4 + len as usize) else {
            break;
        };
        match typ {
            0x0809 => {
                if depth == 0 {
                    check_box(&bbox)?;
                    bbox = None;
                }
                depth += 1;
            }
            0x000A => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    check_box(&bbox)?;
                    bbox = None;
                }
            }
            0x0200 => dimensions(data)?,
            _ => {}
        }
        let cell = |row_at: usize, col_at: usize, last_col_at: Option<usize>| -> Option<(u32, u32, u32)> {
            let r = u32::from(le16(data, row_at)?);
            let c0 = u32::from(le16(data, col_at)?);
            let c1 = match last_col_at {
                Some(at) => u32::from(le16(data, at)?).max(c0),
                None => c0,
            };
            Some((r, c0, c1))
        };
        let pos = match typ {
            0x0006 | 0x00D6 | 0x00FD | 0x0203 | 0x0204 | 0x0205 | 0x027E => cell(0, 2, None),
            0x00BD => cell(0, 2, Some(data.len().saturating_sub(2))),
            0x0201 | 0x00BE => {
                // Blank cells: calamine keeps none, but a column past 255
                // is a damaged record it would try to place.
                let last = if typ == 0x00BE { Some(data.len().saturating_sub(2)) } else { None };
                if cell(0, 2, last).is_some_and(|(_, c0, c1)| c0 > 0xFF || c1 > 0xFF) {
                    return Err(Refusal::Damaged);
                }
                None
            }
            _ => None,
        };
        if let Some((r, c0, c1)) = pos {
            if c1 > 0xFF {
                return Err(Refusal::Damaged);
            }
            bbox = Some(match bbox {
                None => (r, r, c0, c1),
                Some((a, b, c, d)) => (a.min(r), b.max(r), c.min(c0), d.max(c1)),
            });
        }
        i += 4 + len as usize;
    }
    check_box(&bbox)
}

/// The DIMENSIONS record read as calamine reads it: the range it declares
/// must be one calamine can reserve.
fn dimensions(r: &[u8]) -> Result<(), Refusal> {
    let fields = match r.len() {
        10 => {
            (|| Some((u32::from(le16(r, 0)?), u32::from(le16(r, 2)?), u32::from(le16(r, 4)?), u32::from(le16(r, 6)?))))(
            )
        }
        14 | 16 => (|| Some((le32(r, 0)?, le32(r, 4)?, u32::from(le16(r, 8)?), u32::from(le16(r, 10)?))))(),
        _ => return Ok(()), // calamine rejects other lengths itself
    };
    let Some((rf, rl, cf, cl)) = fields else {
        return Err(Refusal::Damaged);
    };
    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
    let (end_r, end_c) = if rl >= 1 && cl >= 1 { (rl - 1, cl - 1) } else { (rf, cf) };
    if end_r < rf || end_c < cf {
        return Err(Refusal::Damaged);
    }
    let rows = u64::from(end_r - rf) + 1;
    let cols = u64::from(end_c - cf) + 1;
    if rows.saturating_mul(cols) > MAX_CELLS {
        return Err(Exceeded::new(Limit::Cells, rows * cols).declared().at("DIMENSIONS").into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xls_dimension_records() {
        let biff8 = |rf: u32, rl: u32, cf: u16, cl: u16| {
            let mut v = Vec::new();
            v.extend(rf.to_le_bytes());
            v.extend(rl.to_le_bytes());
            v.extend(cf.to_le_bytes());
            v.extend(cl.to_le_bytes());
            v.extend([0, 0]);
            v
        };
        assert!(dimensions(&biff8(0, 30, 0, 5)).is_ok());
        assert!(dimensions(&biff8(0, 0, 0, 0)).is_ok());
        assert!(dimensions(&biff8(0, 0x8000_0000, 0, 200)).is_err());
        assert!(dimensions(&biff8(50, 10, 0, 5)).is_err());
        assert_eq!(check_xls(b"PK\x03\x04"), Err(Refusal::Unreadable));
        assert_eq!(check_xls(CFB_MAGIC), Err(Refusal::Unreadable));
    }

    /// A minimal container: header, one FAT sector, one directory sector
    /// and the given FAT entries for the directory chain.
    fn container_with_fat(fat: &[u32]) -> Vec<u8> {
        let mut b = vec![0u8; 512 * 3];
        b[..8].copy_from_slice(CFB_MAGIC);
        b[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
        b[0x20..0x22].copy_from_slice(&6u16.to_le_bytes());
        b[0x30..0x34].copy_from_slice(&1u32.to_le_bytes()); // directory at sector 1
        b[0x44..0x48].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
        for k in 0..109 {
            b[0x4C + 4 * k..0x50 + 4 * k].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        b[0x4C..0x50].copy_from_slice(&0u32.to_le_bytes()); // FAT at sector 0
        for (k, v) in fat.iter().enumerate() {
            b[512 + 4 * k..512 + 4 * k + 4].copy_from_slice(&v.to_le_bytes());
        }
        b
    }

    #[test]
    fn a_fat_cycle_is_refused() {
        // Sector 1 (the directory) points at itself.
        let b = container_with_fat(&[DIFSECT - 1, 1]);
        assert_eq!(check_xls(&b).err(), Some(Refusal::Damaged));
        let ok = container_with_fat(&[DIFSECT - 1, ENDOFCHAIN]);
        assert!(container(&ok).is_ok());
    }
}
