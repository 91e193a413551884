//! QR codes of activation codes, as PNG or SVG.

use qrcode::render::svg;
use qrcode::{Color, EcLevel, QrCode};

use crate::error::ApiError;

const SCALE: usize = 8;
const QUIET: usize = 4;

fn code(text: &str) -> Result<QrCode, ApiError> {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(ApiError::internal)
}

/// A black-on-white PNG, 8 pixels per module with a 4-module quiet zone.
pub fn png(text: &str) -> Result<Vec<u8>, ApiError> {
    let qr = code(text)?;
    let width = qr.width();
    let size = (width + 2 * QUIET) * SCALE;
    let colors = qr.to_colors();
    let mut pixels = vec![255u8; size * size];
    for y in 0..width {
        for x in 0..width {
            if colors[y * width + x] == Color::Dark {
                for dy in 0..SCALE {
                    let row = (y + QUIET) * SCALE + dy;
                    let start = row * size + (x + QUIET) * SCALE;
                    pixels[start..start + SCALE].fill(0);
                }
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, size as u32, size as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(ApiError::internal)?;
        writer
            .write_image_data(&pixels)
            .map_err(ApiError::internal)?;
    }
    Ok(out)
}

pub fn svg(text: &str) -> Result<String, ApiError> {
    Ok(code(text)?
        .render::<svg::Color>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build())
}
