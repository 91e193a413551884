//! The invoice document as PDF (pdf-writer: a small, well-kept writer without dependencies
//! beyond the standard library's kind). A4 pages, the standard Helvetica font (nothing
//! embedded), uncompressed text so the document stays searchable and small.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

use super::invoices::Invoice;

/// Digits after the decimal point for a currency (ISO 4217 minor units).
pub fn exponent(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// `amount` minor units as a decimal with the currency's digits, e.g. `-12.50`.
pub fn decimal(amount: i64, currency: &str) -> String {
    let digits = exponent(currency);
    if digits == 0 {
        return amount.to_string();
    }
    let scale = 10i64.pow(digits);
    let sign = if amount < 0 { "-" } else { "" };
    let abs = amount.unsigned_abs();
    format!(
        "{sign}{}.{:0width$}",
        abs / scale as u64,
        abs % scale as u64,
        width = digits as usize
    )
}

/// Who the invoice is for, as printed.
pub struct Addressee {
    pub name: String,
    pub legal_entity: String,
    pub contact: Option<String>,
}

/// Text as WinAnsi bytes: Latin-1 characters as they are, anything else as `?`.
fn ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c as u32 {
            0x20..=0x7e | 0xa0..=0xff => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(3)).collect();
        format!("{cut}...")
    }
}

/// One line of text at a column.
struct Cell {
    x: f32,
    text: String,
    bold: bool,
    size: f32,
}

const LINES_PER_PAGE: usize = 52;

/// The invoice (with its lines) as a PDF document.
pub fn render(invoice: &Invoice, to: &Addressee) -> Vec<u8> {
    let cur = invoice.currency.as_str();
    let money = |v: i64| format!("{cur} {}", decimal(v, cur));
    let date = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map_or("-".to_string(), |t| t.format("%Y-%m-%d").to_string())
    };
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let text = |x: f32, s: String| Cell {
        x,
        text: s,
        bold: false,
        size: 9.0,
    };
    let bold = |x: f32, s: String, size: f32| Cell {
        x,
        text: s,
        bold: true,
        size,
    };
    rows.push(vec![bold(50.0, "Onyx - Invoice".into(), 16.0)]);
    rows.push(vec![]);
    rows.push(vec![
        bold(50.0, "Invoice number".into(), 9.0),
        text(170.0, invoice.number.clone()),
    ]);
    for (label, value) in [
        ("Invoice id", invoice.id.clone()),
        ("Billed to", to.name.clone()),
        ("Legal entity", to.legal_entity.clone()),
        (
            "Billing contact",
            to.contact.clone().unwrap_or_else(|| "-".into()),
        ),
        (
            "Period",
            format!(
                "{} ({} to {}, UTC)",
                invoice.period,
                invoice.period_start.format("%Y-%m-%d %H:%M"),
                invoice.period_end.format("%Y-%m-%d %H:%M")
            ),
        ),
        ("Environment", invoice.environment.as_str().to_string()),
        ("Status", invoice.status.as_str().to_string()),
        ("Currency", cur.to_string()),
        ("Issued", date(invoice.issued_at)),
        (
            "Due",
            format!(
                "{} ({} days)",
                date(invoice.due_at),
                invoice.payment_terms_days
            ),
        ),
    ] {
        rows.push(vec![
            bold(50.0, label.into(), 9.0),
            text(170.0, clip(&value, 70)),
        ]);
    }
    rows.push(vec![]);
    rows.push(vec![
        bold(50.0, "#".into(), 9.0),
        bold(70.0, "Date".into(), 9.0),
        bold(130.0, "Type".into(), 9.0),
        bold(225.0, "Order / ledger entry".into(), 9.0),
        bold(385.0, "Description".into(), 9.0),
        bold(500.0, "Amount".into(), 9.0),
    ]);
    for l in invoice.lines.iter().flatten() {
        rows.push(vec![
            text(50.0, l.position.to_string()),
            text(70.0, l.created_at.format("%Y-%m-%d").to_string()),
            text(130.0, l.entry_type.as_str().to_string()),
            text(
                225.0,
                l.order_id
                    .clone()
                    .unwrap_or_else(|| l.ledger_entry_id.clone()),
            ),
            text(385.0, clip(&l.description, 24)),
            text(500.0, decimal(l.amount_minor, cur)),
        ]);
    }
    rows.push(vec![]);
    for (label, value) in [
        ("Usage (captures less refunds)", money(invoice.usage_minor)),
        ("Monthly commitment", money(invoice.commitment_minor)),
        (
            "True-up (commitment shortfall)",
            money(invoice.true_up_minor),
        ),
    ] {
        rows.push(vec![text(300.0, label.into()), text(470.0, value)]);
    }
    rows.push(vec![
        bold(300.0, "Total".into(), 11.0),
        bold(470.0, money(invoice.total_minor), 11.0),
    ]);
    rows.push(vec![]);
    rows.push(vec![text(
        50.0,
        "Amounts are signed: charges positive, refunds and credits negative. Quote the invoice number with your payment."
            .into(),
    )]);

    let pages: Vec<&[Vec<Cell>]> = rows.chunks(LINES_PER_PAGE).collect();
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let heavy = Ref::new(4);
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|i| Ref::new(5 + 2 * i as i32))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(pages.len() as i32);
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(heavy)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    for (i, rows) in pages.iter().enumerate() {
        let page_id = page_ids[i];
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, 595.0, 842.0));
        page.parent(tree);
        page.contents(content_id);
        let mut resources = page.resources();
        let mut fonts = resources.fonts();
        fonts.pair(Name(b"F1"), regular);
        fonts.pair(Name(b"F2"), heavy);
        fonts.finish();
        resources.finish();
        page.finish();
        let mut content = Content::new();
        let mut y = 800.0;
        for row in rows.iter() {
            for cell in row {
                content.begin_text();
                content.set_font(Name(if cell.bold { b"F2" } else { b"F1" }), cell.size);
                content.next_line(cell.x, y);
                content.show(Str(&ansi(&cell.text)));
                content.end_text();
            }
            y -= 14.0;
        }
        content.begin_text();
        content.set_font(Name(b"F1"), 8.0);
        content.next_line(50.0, 30.0);
        let footer = format!("{} - page {} of {}", invoice.number, i + 1, pages.len());
        content.show(Str(&ansi(&footer)));
        content.end_text();
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_use_the_currency_digits() {
        assert_eq!(decimal(10000, "EUR"), "100.00");
        assert_eq!(decimal(-1250, "EUR"), "-12.50");
        assert_eq!(decimal(5, "USD"), "0.05");
        assert_eq!(decimal(1500, "JPY"), "1500");
        assert_eq!(decimal(1500, "KWD"), "1.500");
    }
}
