"""The persistent print queue (KI3): every receipt, report and label waits here until it is on paper.

A job moves ``queued`` → ``printing`` (claimed by the print worker) →
``done``; a send that fails makes it ``failed-retrying`` and it is tried
again after a growing pause, or at once when the printer answers again.
Jobs of one printer print in the order they were queued.

Never twice: the claim is committed before the first byte is sent and the
job is marked done right after the printer has taken the last byte. A
worker that dies in between (a crash, a power cut) leaves the job
``printing``; the next worker does not guess and turns it into
``interrupted`` — the administrator looks at the paper and prints it again
or cancels it (see ``recover_interrupted``).
"""
from datetime import datetime, timedelta

from appliance.domain.print_document import Document, DocumentError, as_copy
from appliance.services.audit import audit
from appliance.services.context import Actor
from appliance.services.errors import Conflict, InvalidInput, NotFound
from appliance.storage.database import write_transaction
from appliance.storage.models.base import utc_now
from appliance.storage.models.printing import WAITING_STATES, Printer, PrintJob

RETRY_BASE_S = 2.0
RETRY_CAP_S = 60.0
CANCELLABLE = (*WAITING_STATES, "interrupted")


def retry_delay(attempts: int) -> timedelta:
    """The pause before the next try after ``attempts`` failed ones: 2 s, 4 s, 8 s ... at most a minute."""
    return timedelta(seconds=min(RETRY_BASE_S * 2 ** max(attempts - 1, 0), RETRY_CAP_S))


def _printer_for(role_or_printer) -> Printer:
    if isinstance(role_or_printer, Printer):
        return role_or_printer
    printer = Printer.get_or_none((Printer.id == role_or_printer) & (Printer.active == True))  # noqa: E712
    if printer is None:
        printer = (Printer.select().where((Printer.role == role_or_printer) & (Printer.active == True))  # noqa: E712
                   .order_by(Printer.created_at).first())
    if printer is None:
        raise NotFound("printer", str(role_or_printer), field="printer")
    return printer


def enqueue(actor: Actor, role_or_printer, document: Document, kind: str, title: str) -> PrintJob:
    """Queue ``document`` for a printer (a Printer, its id, or a role: receipt | label).

    A role goes to the first active printer of that role; NotFound when
    there is none. Nothing is sent here: the print worker takes it from the queue.
    """
    printer = _printer_for(role_or_printer)
    if not printer.active:
        raise InvalidInput("printer", "is inactive")
    payload = document.to_json()
    Document.from_json(payload)  # refuses what could never be printed, now rather than in the worker
    staff = actor.id if actor.kind == "staff" else None
    with write_transaction():
        return PrintJob.create(printer=printer.id, kind=kind, title=title[:200], document=payload,
                               created_by=staff)


def claim_next(printer: Printer, now: datetime | None = None) -> PrintJob | None:
    """The printer's oldest waiting job, now ``printing`` — or None if there is none, it must wait,
    or another job of the printer is being sent.

    The claim is a conditional update inside a write transaction, so two workers can never take one job.
    """
    now = now or utc_now()
    with write_transaction():
        mine = PrintJob.printer == printer.id
        if PrintJob.select().where(mine & (PrintJob.state == "printing")).exists():
            return None  # one job at a time per printer, in order
        head = (PrintJob.select().where((PrintJob.printer == printer.id) & PrintJob.state.in_(WAITING_STATES))
                .order_by(PrintJob.id).first())
        if head is None or head.next_attempt_at > now:
            return None
        taken = (PrintJob.update(state="printing", claimed_at=now, attempts=PrintJob.attempts + 1)
                 .where((PrintJob.id == head.id) & PrintJob.state.in_(WAITING_STATES)).execute())
    return PrintJob.get_by_id(head.id) if taken == 1 else None


def mark_done(job: PrintJob) -> None:
    """The printer took every byte of ``job``: it is done and is never sent again."""
    with write_transaction():
        PrintJob.update(state="done", printed_at=utc_now(), last_error=None).where(
            (PrintJob.id == job.id) & (PrintJob.state == "printing")).execute()


def mark_failed(job: PrintJob, error: str, now: datetime | None = None) -> None:
    """The send failed: wait, then try again (unless someone cancelled the job meanwhile)."""
    now = now or utc_now()
    with write_transaction():
        PrintJob.update(state="failed-retrying", last_error=error[:1000],
                        next_attempt_at=now + retry_delay(job.attempts)).where(
            (PrintJob.id == job.id) & (PrintJob.state == "printing")).execute()


def retry_now(printer: Printer) -> int:
    """The printer answers again: its failed jobs need not wait out their pause. Returns how many."""
    with write_transaction():
        return (PrintJob.update(next_attempt_at=utc_now())
                .where((PrintJob.printer == printer.id) & (PrintJob.state == "failed-retrying")).execute())


def has_failed(printer: Printer) -> bool:
    """True while a job of the printer waits for it to come back."""
    return PrintJob.select().where((PrintJob.printer == printer.id)
                                   & (PrintJob.state == "failed-retrying")).exists()


def recover_interrupted(note: str = "interrupted while printing; look at the paper, then re-print or cancel"
                        ) -> int:
    """Jobs left ``printing`` by a worker that is gone become ``interrupted``. Returns how many.

    Called by a print worker when it starts (one worker per box), before it
    claims anything: whether such a job reached the paper cannot be known,
    and printing it again by itself could print a receipt twice.
    """
    with write_transaction():
        return (PrintJob.update(state="interrupted", last_error=note)
                .where(PrintJob.state == "printing").execute())


def _job(job_id) -> PrintJob:
    job = PrintJob.get_or_none(PrintJob.id == job_id)
    if job is None:
        raise NotFound("print job", str(job_id))
    return job


def cancel(actor: Actor, job_id) -> PrintJob:
    """Take a job that has not printed out of the queue (audited); Conflict once it is printing or done."""
    with write_transaction():
        job = _job(job_id)
        if job.state not in CANCELLABLE:
            raise Conflict(f"a job that is {job.state} cannot be cancelled")
        PrintJob.update(state="cancelled").where(PrintJob.id == job.id).execute()
        audit(actor, "print_job.cancelled", "print_job", str(job.id), {"title": job.title, "was": job.state})
    return _job(job_id)


def reprint(actor: Actor, job_id, printer=None) -> PrintJob:
    """Print a job again (audited): a done job as a new job marked COPY; an interrupted one as it was.

    ``printer`` (a Printer or id) sends the copy elsewhere; by default it goes where the job went.
    """
    with write_transaction():
        job = _job(job_id)
        if job.state == "interrupted":
            PrintJob.update(state="queued", next_attempt_at=utc_now()).where(PrintJob.id == job.id).execute()
            audit(actor, "print_job.requeued", "print_job", str(job.id), {"title": job.title})
            return _job(job.id)
        if job.state != "done":
            raise Conflict(f"a job that is {job.state} is printed by the queue already")
        target = _printer_for(printer or job.printer_id)
        try:
            copy = as_copy(Document.from_json(job.document))
        except DocumentError as exc:
            raise Conflict(f"the stored document cannot be printed: {exc}") from None
        staff = actor.id if actor.kind == "staff" else None
        new = PrintJob.create(printer=target.id, kind=job.kind, title=job.title, document=copy.to_json(),
                              created_by=staff, reprint_of=job.id)
        audit(actor, "print_job.reprinted", "print_job", str(new.id), {"title": job.title, "of": job.id})
    return new


def recent_jobs(limit: int = 50, printer=None) -> list[PrintJob]:
    """The latest jobs (all printers, or one), newest first, with their printers."""
    query = (PrintJob.select(PrintJob, Printer).join(Printer).order_by(PrintJob.id.desc()).limit(limit))
    if printer is not None:
        query = query.where(PrintJob.printer == getattr(printer, "id", printer))
    return list(query)


def waiting_count(printer: Printer) -> int:
    """How many jobs of the printer have not printed yet."""
    return PrintJob.select().where((PrintJob.printer == printer.id)
                                   & PrintJob.state.in_((*WAITING_STATES, "printing"))).count()
