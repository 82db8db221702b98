//! Text encodings: detect the encoding of a user file and decode it, reporting where bytes are bad.
//!
//! Files from Chinese exports arrive as UTF-8 (with or without BOM), UTF-16, GBK/GB18030 or Big5.
//! ASCII-compatible encodings are split into records on raw bytes and decoded field by field,
//! so an undecodable sequence is reported at its row and field. UTF-16 is transcoded as a stream.

use encoding_rs::{Encoding, BIG5, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};
use std::io::{self, Read};

/// How many leading bytes are examined to guess the encoding.
pub const SNIFF_LEN: usize = 64 * 1024;

/// The encoding of a file and how many BOM bytes to skip.
#[derive(Debug, Clone, Copy)]
pub struct Detected {
    pub encoding: &'static Encoding,
    pub bom_len: usize,
}

impl Detected {
    /// Whether record separators can be found on raw bytes (true for UTF-8, GBK, GB18030, Big5).
    pub fn ascii_compatible(&self) -> bool {
        self.encoding.is_ascii_compatible()
    }

    pub fn name(&self) -> String {
        let base = self.encoding.name();
        if self.bom_len > 0 { format!("{base} (BOM)") } else { base.to_string() }
    }
}

/// Resolves a user-given encoding label such as `gbk`, `gb2312`, `big5`, `utf-16le`.
pub fn by_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// Guesses the encoding of a file from its first bytes.
pub fn detect(head: &[u8]) -> Detected {
    if let Some((encoding, bom_len)) = Encoding::for_bom(head) {
        return Detected { encoding, bom_len };
    }
    if let Some(encoding) = sniff_utf16(head) {
        return Detected { encoding, bom_len: 0 };
    }
    if valid_utf8_prefix(head) || mostly_utf8(head) {
        return Detected { encoding: UTF_8, bom_len: 0 };
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(head, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    // GBK's decoder in encoding_rs accepts all of GB18030, so prefer the larger repertoire.
    let encoding = if guess == GBK { GB18030 } else { guess };
    Detected { encoding, bom_len: 0 }
}

/// Valid UTF-8, allowing the sniffed window to cut a multi-byte character at its end.
fn valid_utf8_prefix(head: &[u8]) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    }
}

/// A UTF-8 file with a few corrupt bytes is still UTF-8: report the bad bytes rather than
/// letting the detector pick a single-byte code page that turns every Chinese character to junk.
fn mostly_utf8(head: &[u8]) -> bool {
    let (mut non_ascii, mut invalid) = (0usize, 0usize);
    for chunk in head.utf8_chunks() {
        non_ascii += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    non_ascii >= 4 * invalid.max(1)
}

/// UTF-16 without a BOM shows up as many zero bytes in the high half of ASCII characters.
fn sniff_utf16(head: &[u8]) -> Option<&'static Encoding> {
    let n = head.len().min(4096) & !1;
    if n < 8 {
        return None;
    }
    let (mut even_zero, mut odd_zero) = (0usize, 0usize);
    for (i, b) in head[..n].iter().enumerate() {
        if *b == 0 {
            if i % 2 == 0 { even_zero += 1 } else { odd_zero += 1 }
        }
    }
    let pairs = n / 2;
    if odd_zero * 3 > pairs && even_zero * 20 < pairs {
        Some(UTF_16LE)
    } else if even_zero * 3 > pairs && odd_zero * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Decodes one field (or line) of an ASCII-compatible encoding, refusing malformed bytes.
pub fn decode_field<'a>(encoding: &'static Encoding, bytes: &'a [u8]) -> Result<std::borrow::Cow<'a, str>, String> {
    if encoding == UTF_8 {
        return std::str::from_utf8(bytes).map(std::borrow::Cow::Borrowed).map_err(|e| {
            let at = e.valid_up_to();
            format!("byte 0x{:02X} at offset {at} is not valid UTF-8 (is the file in another encoding, such as GBK? choose its encoding)", bytes[at])
        });
    }
    encoding.decode_without_bom_handling_and_without_replacement(bytes).ok_or_else(|| {
        format!("bytes are not valid {} (choose the file's real encoding)", encoding.name())
    })
}

/// Streams a non-ASCII-compatible file (UTF-16) as UTF-8, failing on malformed input with its line.
pub struct TranscodingReader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    input_start: usize,
    input_end: usize,
    eof: bool,
    output: Vec<u8>,
    output_start: usize,
    lines_emitted: u64,
}

impl<R: Read> TranscodingReader<R> {
    pub fn new(inner: R, encoding: &'static Encoding) -> Self {
        TranscodingReader {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            input: vec![0; 64 * 1024],
            input_start: 0,
            input_end: 0,
            eof: false,
            output: Vec::with_capacity(3 * 64 * 1024 + 16),
            output_start: 0,
            lines_emitted: 0,
        }
    }

    fn refill(&mut self) -> io::Result<()> {
        loop {
            if self.input_start == self.input_end && !self.eof {
                let n = self.inner.read(&mut self.input)?;
                self.input_start = 0;
                self.input_end = n;
                self.eof = n == 0;
            }
            self.output.clear();
            self.output_start = 0;
            let cap = self.decoder.max_utf8_buffer_length(self.input_end - self.input_start).unwrap_or(1 << 20) + 16;
            self.output.resize(cap, 0);
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[self.input_start..self.input_end],
                &mut self.output,
                self.eof,
            );
            self.input_start += read;
            self.output.truncate(written);
            if let encoding_rs::DecoderResult::Malformed(_, _) = result {
                let line = self.lines_emitted + self.output.iter().filter(|b| **b == b'\n').count() as u64 + 1;
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("line {line}: bytes are not valid {}", self.decoder.encoding().name()),
                ));
            }
            if !self.output.is_empty() || self.eof {
                return Ok(());
            }
        }
    }
}

impl<R: Read> Read for TranscodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.output_start == self.output.len() {
            self.refill()?;
            if self.output.is_empty() {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.output.len() - self.output_start);
        buf[..n].copy_from_slice(&self.output[self.output_start..self.output_start + n]);
        self.lines_emitted += buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
        self.output_start += n;
        Ok(n)
    }
}

/// Encodings the detector may return that we name in messages and tests.
pub fn known(encoding: &'static Encoding) -> bool {
    [UTF_8, UTF_16LE, UTF_16BE, GBK, GB18030, BIG5].contains(&encoding)
}
