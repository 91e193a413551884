//! Enums stored as text columns, typed once.
//!
//! [`stored_enum!`](crate::stored_enum) gives an enum its column text (`as_str`), the way back
//! (`parse`, for input a partner sent), every value (`ALL`), and `from_stored`, for text read
//! from the database: a value that does not parse there is a server fault (a row written by
//! something else, or a migration that was not applied). It answers 500 and logs the table and
//! column, never a silent default.
//!
//! ```ignore
//! stored_enum! {
//!     /// Where an order is.
//!     pub enum OrderState { Pending = "pending", Completed = "completed" }
//! }
//! let state = OrderState::from_stored(&row.state, "orders.state")?;
//! ```

use crate::error::ApiError;

/// The error for a stored text that names no value of `type_name`; logs where it was read.
pub fn unknown(column: &'static str, value: &str, type_name: &'static str) -> ApiError {
    tracing::error!(
        column,
        value,
        expected = type_name,
        "a stored value does not name a known value; the row was written by something else or a migration is missing"
    );
    ApiError::internal(format!(
        "column {column} holds {value:?}, which is no {type_name}"
    ))
}

/// Declares an enum whose values are stored as text, with its serde derives (the serde name of
/// each value is its stored text, by construction) and `ALL`, `as_str`, `parse` and
/// `from_stored`. Texts are passed as plain tokens (`tt`) so that utoipa's derive sees each
/// `#[serde(rename)]`.
#[macro_export]
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $text:tt),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            ::serde::Serialize, ::serde::Deserialize, ::utoipa::ToSchema,
        )]
        $vis enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The text stored and sent for this value.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The value named by `s` (input from a request), if any.
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The value stored in `column` ("table.column"); an unknown text is a 500 with a
            /// log line naming the column.
            pub fn from_stored(s: &str, column: &'static str) -> Result<$name, $crate::error::ApiError> {
                Self::parse(s).ok_or_else(|| $crate::db::stored::unknown(column, s, stringify!($name)))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::stored_enum! {
        enum Colour {
            Red = "red",
            DarkBlue = "dark_blue",
        }
    }

    #[test]
    fn texts_round_trip_and_unknown_stored_text_is_a_server_fault() {
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.as_str()), Some(*c));
        }
        assert_eq!(Colour::parse("green"), None);
        // The serde name is the stored text, for every enum the macro declares.
        for c in Colour::ALL {
            assert_eq!(
                serde_json::to_value(c).unwrap(),
                serde_json::json!(c.as_str())
            );
            assert_eq!(
                serde_json::from_value::<Colour>(serde_json::json!(c.as_str())).unwrap(),
                *c
            );
        }
        assert_eq!(
            Colour::from_stored("dark_blue", "paint.colour").unwrap(),
            Colour::DarkBlue
        );
        let err = Colour::from_stored("green", "paint.colour").unwrap_err();
        assert_eq!(err.code(), "internal_error");
        assert!(err.to_string().contains("paint.colour"), "{err}");
    }
}
