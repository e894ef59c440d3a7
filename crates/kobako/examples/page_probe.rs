//! Counts the guest memory pages one invocation touches and writes, read off
//! `/proc/self/smaps` (Linux only): `cargo run --release -p kobako --example
//! page_probe -- [SCRIPT] [COUNT]`. The process evaluates SCRIPT (default
//! `nil`) COUNT times (default 1) on one Sandbox, then sums the pooled
//! memory slot's mappings: resident pages are the ones the invocations
//! touched, private dirty pages the ones they wrote (a slot keeps its
//! written pages resident and resets them in place).

fn main() -> Result<(), kobako::Error> {
    let mut args = std::env::args().skip(1);
    let script = args.next().unwrap_or_else(|| "nil".to_owned());
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1);
    // `run:SOURCE` preloads SOURCE (which defines `Entry`) and runs Entry(1).
    let sandbox = match script.strip_prefix("run:") {
        Some(source) => {
            let mut builder = kobako::Sandbox::builder();
            builder.preload_source("Entry", source)?;
            builder.build()?
        }
        None => kobako::Sandbox::new()?,
    };
    for _ in 0..count {
        if script.starts_with("run:") {
            sandbox.run("Entry", &[kobako::Value::Int(1)], [])?;
        } else {
            sandbox.eval(&script)?;
        }
    }
    if std::env::var_os("PAGE_PROBE_RANDOM").is_some() {
        // Experiment: no fault-around in the image mapping, and start again
        // from an empty page table, to count only the pages really touched.
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap_or_default();
        for line in maps.lines().filter(|l| l.contains("memfd:wasm-memory-image")) {
            let (start, end) = line.split_whitespace().next().unwrap().split_once('-').unwrap();
            let start = usize::from_str_radix(start, 16).unwrap();
            let end = usize::from_str_radix(end, 16).unwrap();
            // SAFETY: advice on the image mapping only; DONTNEED on a
            // private file mapping reloads the image's bytes, which is what
            // the slot holds between invocations.
            unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_RANDOM);
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
            }
        }
        for _ in 0..count {
            if script.starts_with("run:") {
                sandbox.run("Entry", &[kobako::Value::Int(1)], [])?;
            } else {
                sandbox.eval(&script)?;
            }
        }
    }
    let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap_or_default();
    let (mut rss, mut dirty, mut in_image) = (0u64, 0u64, (0u64, 0u64));
    let mut current_is_image = false;
    let mut current_is_slot = false;
    for line in smaps.lines() {
        let mut fields = line.split_whitespace();
        let first = fields.next().unwrap_or("");
        if first.contains('-') && !first.ends_with(':') {
            // A mapping header: the slot is the memfd image mapping and the
            // anonymous read-write mappings right after it.
            current_is_image = line.contains("memfd:wasm-memory-image");
            current_is_slot = current_is_image || (line.contains("rw-p") && fields.nth(4).is_none());
            continue;
        }
        let kib: u64 = fields.next().and_then(|v| v.parse().ok()).unwrap_or(0);
        if current_is_image {
            match first {
                "Rss:" => in_image.0 += kib,
                "Private_Dirty:" => in_image.1 += kib,
                _ => {}
            }
        }
        if current_is_slot {
            match first {
                "Rss:" => rss += kib,
                "Private_Dirty:" => dirty += kib,
                _ => {}
            }
        }
    }
    println!(
        "{script:?} x{count}: image mapping {} KiB resident, {} KiB written; all anonymous rw + image {rss} KiB resident, {dirty} KiB written",
        in_image.0, in_image.1
    );
    if std::env::var_os("PAGE_PROBE_MAPS").is_some() {
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap_or_default();
        let lines: Vec<&str> = maps.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            if l.contains("memfd:wasm-memory-image") {
                for m in &lines[i.saturating_sub(2)..(i + 3).min(lines.len())] {
                    println!("{m}");
                }
            }
        }
    }
    if std::env::var_os("PAGE_PROBE_LIST").is_some() {
        list_written_pages();
    }
    Ok(())
}

/// Prints the runs of written pages of the image mapping (offsets in KiB
/// from its start), from `/proc/self/pagemap`: a page still backed by the
/// image file is "file/shared", a written one is private anonymous.
fn list_written_pages() {
    use std::io::{Read, Seek, SeekFrom};
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap_or_default();
    let mut pagemap = std::fs::File::open("/proc/self/pagemap").unwrap();
    for line in maps.lines().filter(|l| l.contains("memfd:wasm-memory-image")) {
        let range = line.split_whitespace().next().unwrap();
        let (start, end) = range.split_once('-').unwrap();
        let start = u64::from_str_radix(start, 16).unwrap();
        let end = u64::from_str_radix(end, 16).unwrap();
        let offset = u64::from_str_radix(line.split_whitespace().nth(2).unwrap(), 16).unwrap();
        let pages = (end - start) / 4096;
        let mut buf = vec![0u8; pages as usize * 8];
        pagemap.seek(SeekFrom::Start(start / 4096 * 8)).unwrap();
        pagemap.read_exact(&mut buf).unwrap();
        let mut runs: Vec<(u64, u64)> = Vec::new();
        for i in 0..pages {
            let e = u64::from_le_bytes(buf[i as usize * 8..][..8].try_into().unwrap());
            let present = e >> 63 & 1 == 1;
            let file = e >> 61 & 1 == 1;
            let wanted = if std::env::var_os("PAGE_PROBE_PRESENT").is_some() {
                present
            } else {
                present && !file
            };
            if wanted {
                match runs.last_mut() {
                    Some(r) if r.1 == i => r.1 = i + 1,
                    _ => runs.push((i, i + 1)),
                }
            }
        }
        println!("mapping at file offset {} KiB, {} pages:", offset / 1024, pages);
        for (a, b) in runs {
            println!(
                "  written {}..{} KiB ({} pages)",
                (offset / 4096 + a) * 4,
                (offset / 4096 + b) * 4,
                b - a
            );
        }
    }
}
