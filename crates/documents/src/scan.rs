//! Reading the QR codes of a scanned or photographed referral: image bytes in, texts out.

use crate::DocumentError;
use image::imageops::FilterType;
use image::GrayImage;

/// Scans larger than this are refused: a phone photo is a few MB; more is not a scan.
pub const MAX_IMAGE_BYTES: usize = 25 * 1024 * 1024;

/// The most pixels a scan may have: a 48-megapixel phone photo is 8000 × 6000. A small file
/// can claim far more (a 2.6 MB PNG of 23000 × 23000 took 1 GB and half a minute): refused
/// from its header, before anything is decoded.
pub const MAX_PIXELS: u64 = 50_000_000;
/// Memory the decoder may take for one image.
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
/// The QR search runs on at most this many pixels on the longer side: a referral's code on
/// an A4 page stays above the decoder's four pixels per module, and the search stays fast.
const SEARCH_SIDE: u32 = 2400;

/// Every QR code found in a PNG or JPEG image, as text.
pub fn read_codes(image: &[u8]) -> Result<Vec<String>, DocumentError> {
    if image.len() > MAX_IMAGE_BYTES {
        return Err(DocumentError::Image(format!("{} MB is too large", image.len() / (1024 * 1024))));
    }
    let reader = || image::ImageReader::new(std::io::Cursor::new(image)).with_guessed_format().map_err(|e| DocumentError::Image(e.to_string()));
    let (w, h) = reader()?.into_dimensions().map_err(|e| DocumentError::Image(e.to_string()))?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(DocumentError::Image(format!("{w} × {h} pixels is too large for a scan")));
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(w);
    limits.max_image_height = Some(h);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut decoder = reader()?;
    decoder.limits(limits);
    let picture = decoder.decode().map_err(|e| DocumentError::Image(e.to_string()))?.to_luma8();
    let longer = w.max(h);
    let picture = if longer > SEARCH_SIDE {
        let scale = f64::from(SEARCH_SIDE) / f64::from(longer);
        let (sw, sh) = (((f64::from(w) * scale) as u32).max(1), ((f64::from(h) * scale) as u32).max(1));
        image::imageops::resize(&picture, sw, sh, FilterType::Triangle)
    } else {
        picture
    };
    let found = decode(picture.clone());
    if !found.is_empty() {
        return Ok(found);
    }
    // The decoder needs about 4 pixels per module; an office scan at 150 dpi gives 3.
    // Enlarging a modest image once is cheap and reads those.
    let (w, h) = picture.dimensions();
    if u64::from(w) * u64::from(h) <= 12_000_000 {
        return Ok(decode(image::imageops::resize(&picture, w * 2, h * 2, FilterType::Triangle)));
    }
    Ok(found)
}

fn decode(picture: GrayImage) -> Vec<String> {
    let mut prepared = rqrr::PreparedImage::prepare(picture);
    prepared.detect_grids().into_iter().filter_map(|grid| grid.decode().ok().map(|(_, text)| text)).collect()
}
