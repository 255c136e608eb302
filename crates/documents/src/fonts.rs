//! The embedded fonts and their metrics (for wrapping text to a column's width).

/// The letters of the Kazakh alphabet that Russian does not have, both cases.
pub const KAZAKH_LETTERS: &str = "ӘҒҚҢӨҰҮҺІәғқңөұүһі";

pub(crate) const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
pub(crate) const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// Glyph advances of one face, kept per character for the layout's measuring.
pub(crate) struct Metrics {
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
}

impl Metrics {
    pub fn new(bytes: &'static [u8]) -> Result<Metrics, crate::DocumentError> {
        let face = ttf_parser::Face::parse(bytes, 0).map_err(|e| crate::DocumentError::Font(e.to_string()))?;
        let units_per_em = f32::from(face.units_per_em());
        Ok(Metrics { face, units_per_em })
    }

    /// Width of `text` at `size` points, in points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text.chars().map(|c| self.face.glyph_index(c).and_then(|g| self.face.glyph_hor_advance(g)).map_or(self.units_per_em * 0.6, f32::from)).sum();
        units / self.units_per_em * size
    }

    fn has(&self, c: char) -> bool {
        c.is_whitespace() || self.face.glyph_index(c).is_some_and(|g| g.0 != 0)
    }
}

/// Characters of `text` that the embedded fonts cannot draw (they would print as boxes).
pub fn missing_glyphs(text: &str) -> Vec<char> {
    let (Ok(r), Ok(b)) = (Metrics::new(REGULAR), Metrics::new(BOLD)) else {
        return text.chars().collect();
    };
    let mut out: Vec<char> = text.chars().filter(|c| !r.has(*c) || !b.has(*c)).collect();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kazakh_letter_has_a_glyph_in_both_faces() {
        assert_eq!(missing_glyphs(KAZAKH_LETTERS), Vec::<char>::new());
        let cyrillic: String = ('А'..='я').chain(['Ё', 'ё', '№', '«', '»', '–']).collect();
        assert_eq!(missing_glyphs(&cyrillic), Vec::<char>::new());
        // The check can fail: a character DejaVu Sans does not have.
        assert_eq!(missing_glyphs("𓀀"), vec!['𓀀']);
    }

    #[test]
    fn wider_text_measures_wider() {
        let m = Metrics::new(REGULAR).unwrap();
        assert!(m.width("ШШШ", 10.0) > m.width("ііі", 10.0));
        assert!((m.width("ӘҒҚ", 20.0) - 2.0 * m.width("ӘҒҚ", 10.0)).abs() < 0.01);
    }
}
