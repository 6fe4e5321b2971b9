//! Any bytes through decode → normalise → parse → extract, without the pipeline's panic guard, so that a panic
//! anywhere in the stages is a crash libFuzzer reports.
#![no_main]

use akimat_kg::lexicon::Lexicon;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(decoded) = akimat_kg::decode::decode(bytes) else {
        return;
    };
    let lex = Lexicon::get();
    let norm = akimat_kg::normalize::normalize(&decoded.text);
    let doc = akimat_kg::parse::parse(&norm, lex);
    let _ = akimat_kg::extract::extract(&doc, &norm, &decoded.text, lex, None);
});
