//! Query workers: SPARQL queries from the web are parsed and evaluated in child processes of the server
//! (`akimat-kg query-worker`, the same binary), one query at a time each.
//!
//! Why processes: Oxigraph checks its cancellation token when it reads the store, not inside joins and aggregates
//! held in memory, so a query such as `SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }` would run on for
//! hours after its timeout, holding a core; and a query nested deeply enough overflows the parser's stack, which
//! aborts the process that parses it. A worker gets the token too (most queries stop at their timeout by
//! themselves and the worker is reused), and one that has not answered by the timeout plus a grace period is
//! killed and replaced. The server itself never parses a query from the web.
//!
//! The pipe between server and worker carries frames: a 4-byte little-endian length, then the bytes. A request is
//! one frame (JSON [`QueryJob`]); an answer is two (JSON [`JobAnswer`] head, then the body).

use super::execute::{self, JobAnswer, QueryJob};
use super::live::LiveStore;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

/// Time a worker has after the query timeout to answer before it is killed.
pub const GRACE: Duration = Duration::from_millis(400);

/// Largest frame accepted on the pipe (an answer is capped by the result limit long before).
const MAX_FRAME: u32 = 1 << 30;

/// Why a query could not be run by a worker.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// No worker answered within the timeout and the grace period; it was killed.
    #[error("the query did not stop at its timeout and its worker was stopped")]
    Killed,
    /// A worker could not be started or talked to.
    #[error("query worker failed: {0}")]
    Failed(String),
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

/// How to start a worker.
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    /// The executable (this binary).
    pub program: PathBuf,
    /// The store folder.
    pub store: PathBuf,
    /// The IRI base.
    pub base: String,
}

/// Idle workers, started on demand and kept for the next query.
pub struct WorkerPool {
    command: WorkerCommand,
    idle: Mutex<Vec<Worker>>,
}

impl WorkerPool {
    /// A pool that starts workers with `command`.
    pub fn new(command: WorkerCommand) -> WorkerPool {
        WorkerPool {
            command,
            idle: Mutex::new(Vec::new()),
        }
    }

    fn spawn(&self) -> Result<Worker, WorkerError> {
        let mut child = Command::new(&self.command.program)
            .arg("--store")
            .arg(&self.command.store)
            .arg("--base")
            .arg(&self.command.base)
            .arg("query-worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                WorkerError::Failed(format!(
                    "cannot start {}: {e}",
                    self.command.program.display()
                ))
            })?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| WorkerError::Failed("no stdin".into()))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| WorkerError::Failed("no stdout".into()))?;
        Ok(Worker {
            child,
            stdin,
            stdout: BufReader::with_capacity(64 * 1024, stdout),
        })
    }

    /// Runs a job on an idle worker (or a new one) and waits for the answer until `deadline`; past it, the worker
    /// is killed. A worker that dies without answering (it could not open the store while another process rewrote
    /// it) is replaced and the job tried once more. The caller limits how many jobs run at once.
    pub async fn run(&self, job: &QueryJob, deadline: Instant) -> Result<JobAnswer, WorkerError> {
        match self.run_once(job, deadline).await {
            Err(WorkerError::Failed(_)) if Instant::now() < deadline => {
                self.run_once(job, deadline).await
            }
            other => other,
        }
    }

    async fn run_once(&self, job: &QueryJob, deadline: Instant) -> Result<JobAnswer, WorkerError> {
        let taken = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut worker = match taken {
            Some(w) => w,
            None => self.spawn()?,
        };
        let request = serde_json::to_vec(job).map_err(|e| WorkerError::Failed(e.to_string()))?;
        let exchange = async {
            write_frame(&mut worker.stdin, &request).await?;
            let head = read_frame(&mut worker.stdout).await?;
            let body = read_frame(&mut worker.stdout).await?;
            let mut answer: JobAnswer = serde_json::from_slice(&head)
                .map_err(|e| std::io::Error::other(format!("bad answer head: {e}")))?;
            answer.body = body;
            Ok::<JobAnswer, std::io::Error>(answer)
        };
        match tokio::time::timeout_at(deadline.into(), exchange).await {
            Ok(Ok(answer)) => {
                self.idle
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(worker);
                Ok(answer)
            }
            Ok(Err(e)) => {
                // The worker died or spoke nonsense: drop it (killed on drop) and report.
                let status = worker.child.try_wait().ok().flatten();
                Err(WorkerError::Failed(match status {
                    Some(s) => format!("the worker exited ({s}) while answering"),
                    None => e.to_string(),
                }))
            }
            Err(_) => {
                let _ = worker.child.start_kill();
                tokio::spawn(async move {
                    let _ = worker.child.wait().await;
                });
                Err(WorkerError::Killed)
            }
        }
    }
}

async fn write_frame(w: &mut ChildStdin, bytes: &[u8]) -> std::io::Result<()> {
    let len = u32::try_from(bytes.len()).map_err(|_| std::io::Error::other("frame too large"))?;
    // One write for length and payload: one wake-up of the worker.
    let mut frame = Vec::with_capacity(bytes.len() + 4);
    frame.extend_from_slice(&len.to_le_bytes());
    frame.extend_from_slice(bytes);
    w.write_all(&frame).await?;
    w.flush().await
}

async fn read_frame(r: &mut BufReader<ChildStdout>) -> std::io::Result<Vec<u8>> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len).await?;
    let len = u32::from_le_bytes(len);
    if len > MAX_FRAME {
        return Err(std::io::Error::other("frame too large"));
    }
    let mut buf = vec![0u8; len as usize];
    r.read_exact(&mut buf).await?;
    Ok(buf)
}

fn read_frame_sync(r: &mut impl Read) -> std::io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u32::from_le_bytes(len);
    if len > MAX_FRAME {
        return Err(std::io::Error::other("frame too large"));
    }
    let mut buf = vec![0u8; len as usize];
    r.read_exact(&mut buf)?;
    Ok(Some(buf))
}

fn write_frame_sync(w: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    let len = u32::try_from(bytes.len()).map_err(|_| std::io::Error::other("frame too large"))?;
    w.write_all(&len.to_le_bytes())?;
    w.write_all(bytes)
}

/// Stack of the thread that parses and evaluates (the parser and the evaluator recurse once per nesting level).
const WORKER_STACK: usize = 256 << 20;

/// The worker process: answers jobs from standard input on standard output until standard input closes.
pub fn worker_main(
    store: &Path,
    base: &str,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let store = store.to_path_buf();
    let base = base.to_string();
    std::thread::Builder::new()
        .name("query-worker".into())
        .stack_size(WORKER_STACK)
        .spawn(move || serve_jobs(&store, &base))?
        .join()
        .map_err(|_| "the query worker thread panicked")?
}

fn serve_jobs(store: &Path, base: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    // Opening can fail for a moment while another process rewrites the store's manifest.
    let mut attempts = 0;
    let live = loop {
        match LiveStore::open(store, false) {
            Ok(l) => break l,
            Err(e) if attempts < 10 => {
                attempts += 1;
                eprintln!("query worker: {e}; trying again");
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => return Err(e.into()),
        }
    };
    let context = super::jsonld::Context::parse(super::CONTEXT, &format!("{base}context.jsonld"))?;
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut input = stdin.lock();
    let mut output = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut seen_generation = 0u64;
    let watchdog = Watchdog::start();
    while let Some(frame) = read_frame_sync(&mut input)? {
        let job: QueryJob = serde_json::from_slice(&frame)?;
        if job.generation != seen_generation {
            // The server saw the store change: look again (a failed reopen keeps the previous view).
            let _ = live.refresh();
            seen_generation = job.generation;
        }
        let mut answer = answer_in_time(&live, &context, &job, &watchdog);
        if answer.store_failed && live.refresh().unwrap_or(false) {
            // Files vanished under the old view (another process compacted): once more on a fresh one.
            answer = answer_in_time(&live, &context, &job, &watchdog);
        }
        write_frame_sync(&mut output, &serde_json::to_vec(&answer)?)?;
        write_frame_sync(&mut output, &answer.body)?;
        output.flush()?;
    }
    Ok(())
}

/// When the running query must stop, and the token that stops it.
type Deadline = (Instant, oxigraph::sparql::CancellationToken);

/// Cancels the running query's token at its deadline: one thread for the worker's life.
struct Watchdog {
    armed: Arc<(Mutex<Option<Deadline>>, Condvar)>,
}

impl Watchdog {
    fn start() -> Watchdog {
        let armed: Arc<(Mutex<Option<Deadline>>, Condvar)> =
            Arc::new((Mutex::new(None), Condvar::new()));
        let shared = armed.clone();
        std::thread::spawn(move || {
            let (lock, wake) = &*shared;
            let mut slot = lock.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                match slot.as_ref() {
                    None => slot = wake.wait(slot).unwrap_or_else(|e| e.into_inner()),
                    Some((deadline, token)) => {
                        let now = Instant::now();
                        if now >= *deadline {
                            token.cancel();
                            *slot = None;
                        } else {
                            let wait = *deadline - now;
                            slot = wake
                                .wait_timeout(slot, wait)
                                .unwrap_or_else(|e| e.into_inner())
                                .0;
                        }
                    }
                }
            }
        });
        Watchdog { armed }
    }

    fn arm(&self, deadline: Instant, token: oxigraph::sparql::CancellationToken) {
        let (lock, wake) = &*self.armed;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = Some((deadline, token));
        wake.notify_one();
    }

    fn disarm(&self) {
        let (lock, wake) = &*self.armed;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = None;
        wake.notify_one();
    }
}

/// Answers a job on the current view, cancelling it at its timeout.
fn answer_in_time(
    live: &LiveStore,
    context: &super::jsonld::Context,
    job: &QueryJob,
    watchdog: &Watchdog,
) -> JobAnswer {
    let snapshot = live.snapshot();
    let token = oxigraph::sparql::CancellationToken::new();
    watchdog.arm(
        Instant::now() + Duration::from_millis(job.timeout_ms),
        token.clone(),
    );
    let answer = execute::answer(&snapshot.store, context, job, token);
    watchdog.disarm();
    answer
}
