//! Reading the QR codes of a scanned or photographed referral: image bytes in, texts out.

use crate::DocumentError;
use image::imageops::FilterType;
use image::GrayImage;

/// Scans larger than this are refused: a phone photo is a few MB; more is not a scan.
pub const MAX_IMAGE_BYTES: usize = 25 * 1024 * 1024;

/// Every QR code found in a PNG or JPEG image, as text.
pub fn read_codes(image: &[u8]) -> Result<Vec<String>, DocumentError> {
    if image.len() > MAX_IMAGE_BYTES {
        return Err(DocumentError::Image(format!("{} MB is too large", image.len() / (1024 * 1024))));
    }
    let picture = image::load_from_memory(image).map_err(|e| DocumentError::Image(e.to_string()))?.to_luma8();
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
