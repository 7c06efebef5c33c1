//! An incremental reader of server-sent events (the `text/event-stream` format): bytes go in as
//! they arrive, in chunks cut anywhere, and complete events come out.
//!
//! Hand-written rather than a crate: the format is a few line rules (`data:`, `event:`, comments,
//! a blank line ends an event, `\n` / `\r\n` / `\r` all end a line), and the crates on the
//! registry either want their own HTTP client or a `Stream` adapter this code does not need.
//! Lines are decoded only when complete, so a multi-byte character cut between two chunks is
//! never misread; a line that is not UTF-8 is an error, never a panic.

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field, when the server sent one.
    pub event: Option<String>,
    /// The `data:` lines joined with `\n`.
    pub data: String,
}

/// Why the byte stream is not a readable event stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SseError {
    /// A line is not UTF-8.
    NotUtf8,
}

/// The reader's state between chunks.
#[derive(Debug, Default)]
pub struct SseReader {
    line: Vec<u8>,
    event: Option<String>,
    data: String,
    has_data: bool,
    /// The last chunk ended in `\r`: a `\n` starting the next one belongs to that line end.
    after_cr: bool,
}

impl SseReader {
    /// Feeds one chunk; complete events are appended to `out`.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<SseEvent>) -> Result<(), SseError> {
        let mut rest = chunk;
        if self.after_cr {
            self.after_cr = false;
            if let Some(stripped) = rest.strip_prefix(b"\n") {
                rest = stripped;
            }
        }
        while let Some(at) = rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.line.extend_from_slice(&rest[..at]);
            let ended_by_cr = rest[at] == b'\r';
            rest = &rest[at + 1..];
            if ended_by_cr {
                match rest.first() {
                    Some(b'\n') => rest = &rest[1..],
                    None => self.after_cr = true,
                    Some(_) => {}
                }
            }
            let line = std::mem::take(&mut self.line);
            self.take_line(line, out)?;
        }
        self.line.extend_from_slice(rest);
        Ok(())
    }

    /// Takes the line by value: a `data:` line of a multi-megabyte image becomes the event's
    /// data without a copy.
    fn take_line(&mut self, line: Vec<u8>, out: &mut Vec<SseEvent>) -> Result<(), SseError> {
        let mut line = String::from_utf8(line).map_err(|_| SseError::NotUtf8)?;
        if line.is_empty() {
            if self.has_data {
                out.push(SseEvent { event: self.event.take(), data: std::mem::take(&mut self.data) });
            }
            self.event = None;
            self.has_data = false;
            return Ok(());
        }
        if line.starts_with(':') {
            return Ok(());
        }
        let (field_len, value_start) = match line.find(':') {
            Some(colon) => (colon, if line[colon + 1..].starts_with(' ') { colon + 2 } else { colon + 1 }),
            None => (line.len(), line.len()),
        };
        match &line[..field_len] {
            "data" if !self.has_data => {
                line.drain(..value_start);
                self.data = line;
                self.has_data = true;
            }
            "data" => {
                self.data.push('\n');
                self.data.push_str(&line[value_start..]);
            }
            "event" => self.event = Some(line[value_start..].to_string()),
            _ => {} // `id`, `retry` and unknown fields mean nothing here.
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(chunks: &[&[u8]]) -> Result<Vec<SseEvent>, SseError> {
        let mut reader = SseReader::default();
        let mut out = Vec::new();
        for chunk in chunks {
            reader.feed(chunk, &mut out)?;
        }
        Ok(out)
    }

    #[test]
    fn events_end_at_a_blank_line_with_any_line_ending() {
        let events = read_all(&[b"event: a\ndata: 1\n\n", b"data: 2\r\ndata: 3\r\n\r\n", b": comment\rdata:4\r\r"]).unwrap();
        assert_eq!(events, vec![
            SseEvent { event: Some("a".into()), data: "1".into() },
            SseEvent { event: None, data: "2\n3".into() },
            SseEvent { event: None, data: "4".into() },
        ]);
    }

    #[test]
    fn a_crlf_cut_between_chunks_is_one_line_end_and_a_split_character_survives() {
        let text = "data: é€😀\r\n\r\n".as_bytes();
        for cut in 0..text.len() {
            let events = read_all(&[&text[..cut], &text[cut..]]).unwrap();
            assert_eq!(events, vec![SseEvent { event: None, data: "é€😀".into() }], "cut at {cut}");
        }
    }

    #[test]
    fn an_unfinished_event_is_not_dispatched_and_bad_utf8_is_an_error() {
        let mut reader = SseReader::default();
        let mut out = Vec::new();
        reader.feed(b"data: {\"half\":", &mut out).unwrap();
        assert!(out.is_empty());
        reader.feed(b"1}\n\n", &mut out).unwrap();
        assert_eq!(out, vec![SseEvent { event: None, data: "{\"half\":1}".into() }]);
        assert_eq!(read_all(&[b"data: \xff\n\n"]), Err(SseError::NotUtf8));
    }
}
