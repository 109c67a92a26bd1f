//! The shape of a deriving struct, and of a deriving enum's variants.

use crate::ctxt::error;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, Result, Type};

pub(crate) struct Input<'a> {
    pub ident: &'a Ident,
    pub generics: &'a syn::Generics,
    pub fields: Vec<Field<'a>>,
}

pub(crate) struct Field<'a> {
    pub ident: &'a Ident,
    /// The name as sent (raw identifiers unescaped: `r#type` is `type`).
    pub name: String,
    pub ty: &'a Type,
}

/// A variant of a `TelemetryEnum` and the value it is sent as.
pub(crate) struct Variant<'a> {
    pub ident: &'a Ident,
    pub value: String,
}

impl<'a> Input<'a> {
    /// `derive` names the derive in messages (`TelemetryEvent`).
    pub(crate) fn from_syn(node: &'a DeriveInput, derive: &str) -> Result<Self> {
        let fields = match &node.data {
            Data::Struct(s) => match &s.fields {
                Fields::Named(named) => named
                    .named
                    .iter()
                    .map(|f| {
                        let ident = f.ident.as_ref().expect("named fields have names");
                        Field { ident, name: ident.unraw().to_string(), ty: &f.ty }
                    })
                    .collect(),
                Fields::Unnamed(u) => {
                    return Err(error(
                        u.span(),
                        format!("`{derive}` needs named fields: each field is matched to a schema field by name"),
                        "use `struct Name { field: Type }`",
                    ));
                }
                Fields::Unit => Vec::new(),
            },
            Data::Enum(e) => {
                return Err(error(
                    e.enum_token.span,
                    format!("`{derive}` can only be derived for structs with named fields"),
                    "for a schema `enum` field's type, derive `TelemetryEnum` instead",
                ));
            }
            Data::Union(u) => {
                return Err(error(
                    u.union_token.span,
                    format!("`{derive}` cannot be derived for a union"),
                    "use a struct with named fields",
                ));
            }
        };
        Ok(Input { ident: &node.ident, generics: &node.generics, fields })
    }
}

/// `T` when `ty` is written `Option<T>` (any path ending in `Option`).
pub(crate) fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(a) if a.args.len() == 1 => match a.args.first()? {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

/// What a type obviously is, when its spelling says so. Used only to give
/// precise errors early; anything unrecognised is left to the trait bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Known {
    Bool,
    Unsigned(u8),
    Signed(u8),
    Float(u8),
    Text,
    Path,
    List,
}

pub(crate) fn known(ty: &Type) -> Option<(Known, String)> {
    match ty {
        Type::Reference(r) => known(&r.elem),
        Type::Slice(_) | Type::Array(_) => Some((Known::List, "a slice".into())),
        Type::Path(p) if p.qself.is_none() => {
            let last = p.path.segments.last()?;
            let name = last.ident.to_string();
            let k = match name.as_str() {
                "bool" => Known::Bool,
                "u8" => Known::Unsigned(8),
                "u16" => Known::Unsigned(16),
                "u32" => Known::Unsigned(32),
                "u64" | "usize" => Known::Unsigned(64),
                "u128" => Known::Unsigned(128),
                "i8" => Known::Signed(8),
                "i16" => Known::Signed(16),
                "i32" => Known::Signed(32),
                "i64" | "isize" => Known::Signed(64),
                "i128" => Known::Signed(128),
                "f32" => Known::Float(32),
                "f64" => Known::Float(64),
                "str" | "String" => Known::Text,
                "PathBuf" | "Path" | "OsString" | "OsStr" => Known::Path,
                "Vec" => Known::List,
                _ => return None,
            };
            Some((k, name))
        }
        _ => None,
    }
}
