//! SPARQL Update, off unless the server was started with `--allow-update` and a token. An update must carry
//! `Authorization: Bearer <token>`; it may not `LOAD` from the web nor write the default graph (which the server
//! keeps equal to the union of the named graphs and brings back in step after every update).

use super::error::ApiError;
use super::policy;
use super::protocol::ProtocolRequest;
use super::AppState;
use crate::query::parser;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::sparql::SparqlEvaluator;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Runs an update request.
pub async fn run_update(
    state: &Arc<AppState>,
    request: ProtocolRequest,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let Some(token) = state
        .options
        .update_token
        .as_deref()
        .filter(|_| state.live.writable())
    else {
        return Err(ApiError::Forbidden(
            "this endpoint is read-only; updates need the server started with --allow-update and a token"
                .to_string(),
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    // Compare digests, so the time taken tells nothing about the token.
    let matches =
        given.is_some_and(|g| Sha256::digest(g.as_bytes()) == Sha256::digest(token.as_bytes()));
    if !matches {
        return Err(ApiError::Unauthorized(
            "an update needs the header `Authorization: Bearer <token>` with the server's update token".to_string(),
        ));
    }
    if request.using {
        return Err(ApiError::BadRequest(
            "using-graph-uri and using-named-graph-uri are not supported; write USING in the update".to_string(),
        ));
    }
    let text = request.update.unwrap_or_default();
    policy::check_text(&text).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let update = parser()
        .parse_update(&text)
        .map_err(|e| ApiError::BadRequest(format!("update syntax error: {e}")))?;
    policy::check_update(&update).map_err(|e| ApiError::Forbidden(e.to_string()))?;
    let job_state = state.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        let snapshot = job_state.live.snapshot();
        let internal =
            |e: oxigraph::store::StorageError| ApiError::Internal(format!("update failed: {e}"));
        // The update and the union's repair in one transaction: readers see both or neither.
        let mut t = snapshot.store.start_transaction().map_err(internal)?;
        SparqlEvaluator::new()
            .for_update(update)
            .on_transaction(&mut t)
            .execute()
            .map_err(|e| ApiError::BadRequest(format!("update failed: {e}")))?;
        let base = &job_state.options.base;
        let (_, _, settle) = crate::store::resync_union(&mut t, base).map_err(|e| {
            ApiError::Internal(format!("update failed while re-syncing the union: {e}"))
        })?;
        t.commit().map_err(internal)?;
        if settle {
            // A weight or a tally itself changed: every body is recounted before the update is answered.
            let graphs = crate::store::tally::Graphs::new(base);
            crate::store::tally::settle(&snapshot.store, &graphs).map_err(internal)?;
        }
        job_state.live.bump();
        Ok::<(), ApiError>(())
    })
    .await
    .map_err(|e| ApiError::Internal(format!("the update stopped unexpectedly: {e}")))?;
    outcome?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
