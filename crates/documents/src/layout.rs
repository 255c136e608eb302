//! A small A4 layout engine: header on every page, wrapped paragraphs, label/value fields,
//! tables that break across pages and repeat their header, "1 / N" page numbers.

use crate::fonts::{Metrics, BOLD, REGULAR};
use crate::DocumentError;
use printpdf::*;

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const LEFT: f32 = 20.0;
const RIGHT: f32 = 15.0;
const TOP: f32 = 15.0;
const BOTTOM: f32 = 20.0;
pub const CONTENT_W: f32 = PAGE_W - LEFT - RIGHT;
const PT_PER_MM: f32 = 72.0 / 25.4;

fn pt(mm: f32) -> Pt {
    Pt(mm * PT_PER_MM)
}

fn grey(level: f32) -> Color {
    Color::Rgb(Rgb::new(level, level, level, None))
}

/// Text lines are this many times their font size apart.
const LEADING: f32 = 1.3;

/// Parsing DejaVu's ~6,000 glyphs took half of a certificate's time; the faces never
/// change, so each process parses them once.
fn parsed_fonts() -> Result<&'static (ParsedFont, ParsedFont), DocumentError> {
    static FONTS: std::sync::OnceLock<Option<(ParsedFont, ParsedFont)>> = std::sync::OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut warnings = Vec::new();
            let regular = ParsedFont::from_bytes(REGULAR, 0, &mut warnings)?;
            let bold = ParsedFont::from_bytes(BOLD, 0, &mut warnings)?;
            Some((regular, bold))
        })
        .as_ref()
        .ok_or_else(|| DocumentError::Font("DejaVu Sans".into()))
}

pub struct Doc {
    regular: Metrics,
    bold: Metrics,
    pdf: PdfDocument,
    font_regular: FontId,
    font_bold: FontId,
    header: Vec<String>,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    /// Distance from the top of the page to the next line's top, in mm.
    y: f32,
    /// A column kept free on the right (width, down to y), e.g. beside a QR code.
    reserved: Option<(f32, f32)>,
}

impl Doc {
    /// A document whose pages all start with `header` lines (region, department).
    pub fn new(title: &str, header: Vec<String>) -> Result<Doc, DocumentError> {
        let (regular_font, bold_font) = parsed_fonts()?;
        let mut pdf = PdfDocument::new(title);
        let font_regular = pdf.add_font(regular_font);
        let font_bold = pdf.add_font(bold_font);
        let mut doc = Doc { regular: Metrics::new(REGULAR)?, bold: Metrics::new(BOLD)?, pdf, font_regular, font_bold, header, pages: vec![], ops: vec![], y: TOP, reserved: None };
        doc.start_page();
        Ok(doc)
    }

    fn metrics(&self, bold: bool) -> &Metrics {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }

    fn start_page(&mut self) {
        self.y = TOP;
        self.reserved = None;
        let header = self.header.clone();
        for line in &header {
            self.line_at(LEFT, 8.0, false, line);
            self.y += 8.0 * LEADING / PT_PER_MM;
        }
        self.y += 1.0;
        self.bar(LEFT, self.y, CONTENT_W, 0.4, grey(0.35));
        self.y += 4.0;
    }

    fn new_page(&mut self) {
        let ops = std::mem::take(&mut self.ops);
        self.pages.push(ops);
        self.start_page();
    }

    /// Starts a new page unless `height` mm still fit above the bottom margin.
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > PAGE_H - BOTTOM {
            self.new_page();
        }
    }

    /// One line of text whose top is at the current `y`.
    fn line_at(&mut self, x: f32, size: f32, bold: bool, text: &str) {
        let baseline = self.y + size * 0.8 / PT_PER_MM;
        let font = if bold { self.font_bold.clone() } else { self.font_regular.clone() };
        self.ops.extend([
            Op::StartTextSection,
            Op::SetTextCursor { pos: Point { x: pt(x), y: pt(PAGE_H - baseline) } },
            Op::SetFont { font: PdfFontHandle::External(font), size: Pt(size) },
            Op::ShowText { items: vec![TextItem::Text(text.to_string())] },
            Op::EndTextSection,
        ]);
    }

    /// A filled rectangle, `y` from the top of the page.
    fn bar(&mut self, x: f32, y: f32, w: f32, h: f32, color: Color) {
        self.ops.push(Op::SetFillColor { col: color });
        let polygon = Rect::from_xywh(pt(x), pt(PAGE_H - y - h), pt(w), pt(h)).to_polygon();
        self.ops.push(Op::DrawPolygon { polygon });
        self.ops.push(Op::SetFillColor { col: grey(0.0) });
    }

    /// Breaks `text` into lines no wider than `width` mm; a word longer than a line is cut.
    pub fn wrap(&self, text: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
        let m = self.metrics(bold);
        let max = width * PT_PER_MM;
        let mut lines = vec![];
        for para in text.split('\n') {
            let mut line = String::new();
            for word in para.split_whitespace() {
                let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
                if m.width(&candidate, size) <= max {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the column: cut it where it stops fitting.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if m.width(&piece, size) > max && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        lines
    }

    fn line_height(size: f32) -> f32 {
        size * LEADING / PT_PER_MM
    }

    /// The width left for text at the current line: the page's, less a reserved column.
    fn width_here(&self) -> f32 {
        match self.reserved {
            Some((w, until)) if self.y < until => CONTENT_W - w,
            _ => CONTENT_W,
        }
    }

    /// A paragraph across the page's width.
    pub fn paragraph(&mut self, text: &str, size: f32, bold: bool) {
        for line in self.wrap(text, self.width_here(), size, bold) {
            self.ensure(Self::line_height(size));
            self.line_at(LEFT, size, bold, &line);
            self.y += Self::line_height(size);
        }
    }

    /// A centred title.
    pub fn title(&mut self, text: &str, size: f32) {
        for line in self.wrap(text, CONTENT_W, size, true) {
            self.ensure(Self::line_height(size));
            let w = self.bold.width(&line, size) / PT_PER_MM;
            self.line_at(LEFT + (CONTENT_W - w).max(0.0) / 2.0, size, true, &line);
            self.y += Self::line_height(size);
        }
        self.space(2.0);
    }

    pub fn space(&mut self, mm: f32) {
        self.y += mm;
    }

    /// A label on the left, its value on the right; both wrap, neither overflows.
    pub fn field(&mut self, label: &str, value: &str) {
        const LABEL_W: f32 = 62.0;
        let size = 10.0;
        let labels = self.wrap(label, LABEL_W - 3.0, size, false);
        let values = self.wrap(value, self.width_here() - LABEL_W, size, true);
        let rows = labels.len().max(values.len());
        self.ensure(rows as f32 * Self::line_height(size));
        let top = self.y;
        for (i, l) in labels.iter().enumerate() {
            self.y = top + i as f32 * Self::line_height(size);
            self.ops.push(Op::SetFillColor { col: grey(0.35) });
            self.line_at(LEFT, size, false, l);
            self.ops.push(Op::SetFillColor { col: grey(0.0) });
        }
        for (i, v) in values.iter().enumerate() {
            self.y = top + i as f32 * Self::line_height(size);
            self.line_at(LEFT + LABEL_W, size, true, v);
        }
        self.y = top + rows as f32 * Self::line_height(size) + 1.2;
    }

    /// A section heading with a rule under it.
    pub fn heading(&mut self, text: &str) {
        self.ensure(14.0);
        self.space(3.0);
        self.paragraph(text, 11.5, true);
        self.bar(LEFT, self.y, self.width_here(), 0.25, grey(0.6));
        self.space(2.0);
    }

    /// A QR code of `text`, `size` mm square, in the top right corner from the current line,
    /// with a short `caption` under it; text beside it wraps around.
    /// Dark modules are merged into one rectangle per horizontal run: a few hundred
    /// rectangles instead of thousands keep the file small and the viewer fast.
    pub fn qr_corner(&mut self, text: &str, size: f32, caption: &str) -> Result<(), DocumentError> {
        let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).map_err(|e| DocumentError::Qr(e.to_string()))?;
        let width = code.width();
        let colors = code.to_colors();
        // A quiet zone of 4 modules is part of the symbol: scanners need it.
        let module = size / (width + 8) as f32;
        let left = PAGE_W - RIGHT - size;
        let top = self.y;
        let mut rings = vec![];
        for row in 0..width {
            let mut col = 0;
            while col < width {
                if colors[row * width + col] != qrcode::Color::Dark {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < width && colors[row * width + col] == qrcode::Color::Dark {
                    col += 1;
                }
                let x = left + (start + 4) as f32 * module;
                let y = top + (row + 4) as f32 * module;
                let rect = Rect::from_xywh(pt(x), pt(PAGE_H - y - module), pt((col - start) as f32 * module), pt(module));
                rings.extend(rect.to_polygon().rings);
            }
        }
        self.ops.push(Op::SetFillColor { col: grey(0.0) });
        self.ops.push(Op::DrawPolygon { polygon: Polygon { rings, mode: PaintMode::Fill, winding_order: WindingOrder::NonZero } });
        let caption_size = 7.0;
        let lines = self.wrap(caption, size - 2.0 * 4.0 * module, caption_size, false);
        self.y = top + size - 3.0 * module;
        for line in &lines {
            let w = self.regular.width(line, caption_size) / PT_PER_MM;
            self.line_at(left + (size - w) / 2.0, caption_size, false, line);
            self.y += Self::line_height(caption_size);
        }
        self.reserved = Some((size + 3.0, self.y));
        self.y = top;
        Ok(())
    }

    /// A horizontal bar chart: a legend (one grey level per series), then per row its label
    /// (cut to the label column) and one bar per series with its value at the end. Rows break
    /// across pages like table rows.
    pub fn bars(&mut self, series: &[String], rows: &[(String, Vec<u32>)]) {
        const SIZE: f32 = 8.0;
        const LABEL_W: f32 = 55.0;
        const BAR_H: f32 = 3.0;
        let shades = [0.25, 0.6];
        let max = rows.iter().flat_map(|(_, v)| v.iter().copied()).max().unwrap_or(0).max(1) as f32;
        let scale = (CONTENT_W - LABEL_W - 14.0) / max;
        // The legend does not stay alone at the foot of a page.
        let first_rows: f32 = rows.iter().take(3).map(|(_, v)| BAR_H * v.len() as f32 + 1.5).sum();
        self.ensure(8.0 + first_rows);
        let mut x = LEFT + LABEL_W;
        for (i, name) in series.iter().enumerate() {
            self.bar(x, self.y + 0.8, 3.0, 3.0, grey(shades[i % shades.len()]));
            self.line_at(x + 4.5, SIZE, false, name);
            x += 5.0 + self.regular.width(name, SIZE) / PT_PER_MM + 8.0;
        }
        self.y += Self::line_height(SIZE) + 2.0;
        for (label, values) in rows {
            let h = BAR_H * values.len() as f32 + 1.5;
            self.ensure(h);
            let top = self.y;
            let label = self.wrap(label, LABEL_W - 3.0, SIZE, false).into_iter().next().unwrap_or_default();
            self.y = top + (h - Self::line_height(SIZE)) / 2.0 - 0.5;
            self.line_at(LEFT, SIZE, false, &label);
            for (i, v) in values.iter().enumerate() {
                let y = top + i as f32 * BAR_H;
                let w = (*v as f32 * scale).max(if *v > 0 { 0.3 } else { 0.0 });
                self.bar(LEFT + LABEL_W, y, w, BAR_H - 0.6, grey(shades[i % shades.len()]));
                self.y = y - 0.5;
                self.line_at(LEFT + LABEL_W + w + 1.0, 6.5, false, &v.to_string());
            }
            self.y = top + h;
        }
        self.space(2.0);
    }

    /// A table: `widths` in mm per column; rows wrap per cell; the header repeats on every
    /// page the table reaches.
    pub fn table(&mut self, headers: &[String], widths: &[f32], rows: &[Vec<String>]) {
        let size = 9.0;
        let lh = Self::line_height(size);
        self.ensure(lh * 3.0);
        self.table_header(headers, widths, size);
        for row in rows {
            let (cells, height) = self.cells(row, widths, size, false);
            if self.y + height > PAGE_H - BOTTOM {
                self.new_page();
                self.table_header(headers, widths, size);
            }
            self.draw_cells(&cells, widths, height, size, false);
            self.bar(LEFT, self.y, widths.iter().sum(), 0.15, grey(0.8));
        }
        self.space(2.0);
    }

    /// The header in a size at which no word of it is cut (down to 6.5 pt): a narrow
    /// column's heading wraps between words, never inside one.
    fn table_header(&mut self, headers: &[String], widths: &[f32], size: f32) {
        let m = self.metrics(true);
        let fits = |size: f32| headers.iter().zip(widths).all(|(h, w)| h.split_whitespace().all(|word| m.width(word, size) <= (w - 2.0) * PT_PER_MM));
        let mut size = size;
        while size > 6.5 && !fits(size) {
            size -= 0.5;
        }
        let (cells, height) = self.cells(headers, widths, size, true);
        self.bar(LEFT, self.y, widths.iter().sum(), height, grey(0.9));
        self.draw_cells(&cells, widths, height, size, true);
    }

    /// Wraps each cell to its column; returns the lines and the row's height in mm.
    fn cells(&self, row: &[String], widths: &[f32], size: f32, bold: bool) -> (Vec<Vec<String>>, f32) {
        let cells: Vec<Vec<String>> = row.iter().zip(widths).map(|(c, w)| self.wrap(c, w - 2.0, size, bold)).collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * Self::line_height(size) + 1.5;
        (cells, height)
    }

    fn draw_cells(&mut self, cells: &[Vec<String>], widths: &[f32], height: f32, size: f32, bold: bool) {
        let top = self.y;
        let mut x = LEFT;
        for (lines, w) in cells.iter().zip(widths) {
            for (i, l) in lines.iter().enumerate() {
                self.y = top + 0.75 + i as f32 * Self::line_height(size);
                self.line_at(x + 1.0, size, bold, l);
            }
            x += w;
        }
        self.y = top + height;
    }

    /// Adds "page / pages" to every page and returns the PDF.
    pub fn finish(mut self) -> Vec<u8> {
        let last = std::mem::take(&mut self.ops);
        self.pages.push(last);
        let n = self.pages.len();
        let pages: Vec<Vec<Op>> = std::mem::take(&mut self.pages);
        let mut out = Vec::with_capacity(n);
        for (i, ops) in pages.into_iter().enumerate() {
            self.ops = ops;
            let label = format!("{} / {}", i + 1, n);
            let w = self.regular.width(&label, 8.0) / PT_PER_MM;
            self.y = PAGE_H - BOTTOM + 8.0;
            self.line_at(PAGE_W - RIGHT - w, 8.0, false, &label);
            out.push(PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), std::mem::take(&mut self.ops)));
        }
        let mut warnings = Vec::new();
        self.pdf.with_pages(out).save(&PdfSaveOptions::default(), &mut warnings)
    }
}
