//! Errors a request can meet, each with its HTTP status and a message that names the parameter or limit at fault.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// A request that cannot be answered as asked.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed: a missing or repeated parameter, a syntax error in the query.
    #[error("{0}")]
    BadRequest(String),
    /// The server will not do this (SERVICE, LOAD, an update without the right token).
    #[error("{0}")]
    Forbidden(String),
    /// Updates need a token.
    #[error("{0}")]
    Unauthorized(String),
    /// Nothing here.
    #[error("{0}")]
    NotFound(String),
    /// The method is not allowed on this path.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// None of the offered formats is acceptable.
    #[error("{0}")]
    NotAcceptable(String),
    /// The request body's type is not one the endpoint reads.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The request body is too large.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The results would exceed the configured cap.
    #[error("{0}")]
    ResultTooLarge(String),
    /// The query ran past the configured timeout, or waited too long for a free slot.
    #[error("{0}")]
    Timeout(String),
    /// The store could not be read (files replaced under a running query by another process's compaction).
    #[error("{0}")]
    StoreFailed(String),
    /// The server failed.
    #[error("{0}")]
    Internal(String),
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::ResultTooLarge(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Timeout(_) | ApiError::StoreFailed(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<super::negotiate::NegotiationError> for ApiError {
    fn from(e: super::negotiate::NegotiationError) -> Self {
        match e {
            super::negotiate::NegotiationError::UnknownFormat { .. } => {
                ApiError::BadRequest(e.to_string())
            }
            super::negotiate::NegotiationError::NotAcceptable { .. } => {
                ApiError::NotAcceptable(e.to_string())
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = (status, format!("{self}\n")).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        if let ApiError::Unauthorized(_) = self {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"akimat-kg update\""),
            );
        }
        response
    }
}
