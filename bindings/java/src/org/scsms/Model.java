package org.scsms;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongFunction;

/**
 * A validated scsms/1 model (FORMAT.md): the security management system of
 * one organisation, held in native memory.
 *
 * <p>A model always holds a valid document: loading refuses an invalid one
 * with {@link ValidationException} (every error with its JSON path), and
 * every edit ({@link #put}, {@link #remove}, {@link #setSection},
 * {@link #apply}) is all-or-nothing, checked with the validation that
 * loading applies. Entities are exchanged as JSON text in the document's
 * own form (the object that stands in the array).
 *
 * <pre>{@code
 * try (Model m = Model.load(Path.of("exporter.json"))) {
 *     System.out.println(m.organizationName() + ": " + m.count(Kind.SCENARIO) + " scenarios");
 *     Assessment a = m.assess(LocalDate.of(2025, 6, 30));
 *     System.out.println(a.ale(View.CURRENT));
 * }
 * }</pre>
 *
 * <p><b>Lifetime.</b> {@link #close()} frees the native model; closing twice
 * is harmless; any other call on a closed model throws
 * IllegalStateException. A model that is never closed is freed when it is
 * garbage-collected, but close it (try-with-resources): the collector does
 * not see native memory. Results ({@link Assessment}, {@link Training},
 * {@link AuditReport}, {@link Plan}) are Java values independent of the
 * model; {@link Snapshot} and {@link Simulation} are native objects of
 * their own, also independent of the model.
 *
 * <p><b>Threads.</b> Reads and analyses may run on several threads at once;
 * an edit waits for them and excludes them (a read-write lock), and close
 * waits for the calls in flight. The contract to write to is still one
 * thread per model when editing (docs/JAVA.md, "Threads").
 */
public final class Model implements AutoCloseable {
    private final Handle handle;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    private Model(long address) {
        this.handle = new Handle(this, address, LibScsms::scsms_model_free, "model");
    }

    // ---- creation ------------------------------------------------------------

    /**
     * A minimal valid model: {@code {"format": "scsms/1", "organization": {"name": ...}}}.
     *
     * @param organizationName a non-empty name
     * @throws InvalidArgumentException when the name is empty
     */
    public static Model create(String organizationName) {
        long[] out = new long[1];
        LibScsms.scsms_model_new(out, organizationName);
        return new Model(out[0]);
    }

    /**
     * Loads and validates a scsms/1 document from a file.
     *
     * @throws ValidationException the document breaks the format ({@link ScsmsException#errors()})
     * @throws SyntaxException not JSON, bad UTF-8, a byte order mark
     * @throws NotFoundException no such file
     * @throws FileException the file cannot be read (a directory, no permission)
     * @throws LimitException beyond the documented limits
     */
    public static Model load(Path path) {
        return load(Objects.requireNonNull(path, "path").toString());
    }

    /** As {@link #load(Path)}, with the path as a string. */
    public static Model load(String path) {
        long[] out = new long[1];
        LibScsms.scsms_model_load_file(out, path);
        return new Model(out[0]);
    }

    /** Loads and validates a document given as text; throws as {@link #load(Path)}. */
    public static Model fromJson(String json) {
        return fromJson(Utf8.bytes(json));
    }

    /** Loads and validates a document given as UTF-8 bytes; throws as {@link #load(Path)}. */
    public static Model fromJson(byte[] utf8) {
        Objects.requireNonNull(utf8, "utf8");
        long[] out = new long[1];
        LibScsms.scsms_model_load_buffer(out, utf8);
        return new Model(out[0]);
    }

    /**
     * Validates a file without keeping the model: OUTPUT.md's validate
     * object, as {@code scsms validate FILE --json} prints it. A file that
     * cannot be read is reported as the command line does (valid false,
     * one error at path {@code $} with the library's message); only a
     * native allocation failure throws.
     */
    public static ValidationReport validate(Path path) {
        String f = Objects.requireNonNull(path, "path").toString();
        try {
            load(f).close();
            return ValidationReport.VALID.withFile(f);
        } catch (ScsmsException e) {
            if (e.status() == Status.OUT_OF_MEMORY) {
                throw e;
            }
            List<ValidationError> errs = e.errors().isEmpty()
                    ? List.of(new ValidationError("$", "a readable scsms/1 document", e.getMessage(), 0, 0))
                    : e.errors();
            return new ValidationReport(false, errs, f);
        }
    }

    /** As {@link #validate(Path)} for a document given as text (no {@code "file"} key). */
    public static ValidationReport validateJson(String json) {
        try {
            fromJson(json).close();
            return ValidationReport.VALID;
        } catch (ValidationException | SyntaxException e) {
            return new ValidationReport(false, e.errors(), null);
        }
    }

    /** An independent deep copy. */
    public Model copy() {
        long[] out = new long[1];
        read(p -> {
            LibScsms.scsms_model_clone(out, p);
            return null;
        });
        return new Model(out[0]);
    }

    // ---- lifetime -----------------------------------------------------------

    /**
     * Frees the native model (after the calls in flight on other threads
     * end). Closing twice is harmless.
     */
    @Override
    public void close() {
        handle.close();
    }

    /** True once {@link #close()} has been called. */
    public boolean isClosed() {
        return handle.isClosed();
    }

    // ---- saving ---------------------------------------------------------------

    /**
     * The model as scsms/1 document text (FORMAT.md "Save": keys in the
     * format's order, {@code x-} keys kept, two-space indentation, final
     * newline).
     */
    public String toJson() {
        return read(p -> {
            byte[][] out = new byte[1][];
            LibScsms.scsms_model_save_buffer(out, p);
            return Utf8.str(out[0]);
        });
    }

    /**
     * Writes the document to a file atomically: on any failure the previous
     * file is left as it was.
     *
     * @throws FileException the file cannot be written
     */
    public void save(Path path) {
        save(Objects.requireNonNull(path, "path").toString());
    }

    /** As {@link #save(Path)}, with the path as a string. */
    public void save(String path) {
        Objects.requireNonNull(path, "path");
        read(p -> {
            LibScsms.scsms_model_save_file(p, path);
            return null;
        });
    }

    // ---- reading ------------------------------------------------------------------

    /** {@code organization.name}. */
    public String organizationName() {
        return read(LibScsms::scsms_model_organization_name);
    }

    /** {@code organization.currency}, or its default "USD". */
    public String currency() {
        return read(LibScsms::scsms_model_currency);
    }

    /** {@code settings.as_of}, the date analyses use when none is given; empty when the model sets none. */
    public Optional<LocalDate> asOf() {
        return Optional.ofNullable(Dates.parse(read(LibScsms::scsms_model_as_of)));
    }

    /** The risk appetite: a risk level name ({@code settings.appetite} or its default). */
    public String appetite() {
        return read(LibScsms::scsms_model_appetite);
    }

    /** The number of entities of a kind. */
    public int count(Kind kind) {
        int k = Objects.requireNonNull(kind, "kind").code();
        return read(p -> (int) LibScsms.scsms_model_count(p, k));
    }

    /**
     * The ids of the entities of a kind, in document order. Reviews have no
     * id: for {@link Kind#REVIEW} the list holds one null per review.
     */
    public List<String> ids(Kind kind) {
        int k = Objects.requireNonNull(kind, "kind").code();
        return read(p -> {
            long n = LibScsms.scsms_model_count(p, k);
            List<String> ids = new ArrayList<>((int) n);
            for (long i = 0; i < n; i++) {
                ids.add(LibScsms.scsms_model_id(p, k, i));
            }
            return Collections.unmodifiableList(ids);
        });
    }

    /** The position of entity {@code id} of a kind, or -1 when there is none. */
    public int indexOf(Kind kind, String id) {
        int k = Objects.requireNonNull(kind, "kind").code();
        Objects.requireNonNull(id, "id");
        return read(p -> LibScsms.scsms_model_find(p, k, id));
    }

    /** True when the model has an entity {@code id} of the kind. */
    public boolean contains(Kind kind, String id) {
        return indexOf(kind, id) >= 0;
    }

    /**
     * One entity as JSON text, exactly as save writes it.
     *
     * @throws NotFoundException when there is no entity {@code id}
     */
    public String get(Kind kind, String id) {
        int k = Objects.requireNonNull(kind, "kind").code();
        Objects.requireNonNull(id, "id");
        return read(p -> {
            int i = LibScsms.scsms_model_find(p, k, id);
            if (i < 0) {
                throw new NotFoundException(Status.NOT_FOUND.code(),
                        "no " + kind.key() + " entity with id '" + id + "'", null);
            }
            return entity(p, k, i);
        });
    }

    /**
     * Entity {@code index} of a kind as JSON text (reviews, which have no
     * id, are read this way).
     *
     * @throws NotFoundException when the index is out of range
     */
    public String get(Kind kind, int index) {
        int k = Objects.requireNonNull(kind, "kind").code();
        if (index < 0) {
            throw new NotFoundException(Status.NOT_FOUND.code(), "negative index " + index, null);
        }
        return read(p -> entity(p, k, index));
    }

    private static String entity(long p, int kind, long index) {
        byte[][] out = new byte[1][];
        LibScsms.scsms_model_entity_json(out, p, kind, index);
        return Utf8.str(out[0]);
    }

    /** A section as JSON text; empty when the model has none. */
    public Optional<String> section(Section section) {
        int s = Objects.requireNonNull(section, "section").code();
        String json = read(p -> {
            byte[][] out = new byte[1][];
            LibScsms.scsms_model_section_json(out, p, s);
            return Utf8.str(out[0]);
        });
        return "null".equals(json) ? Optional.empty() : Optional.of(json);
    }

    // ---- editing: each call all-or-nothing --------------------------------------------

    /**
     * Inserts or replaces an entity given as a JSON object in the format's
     * form: one whose id matches an existing entity of the kind replaces it
     * in place; otherwise it is appended (reviews are always appended).
     *
     * @throws ValidationException the model would be invalid (it is unchanged); the
     *         errors' paths are in the edited document
     * @throws SyntaxException the text is not JSON
     */
    public void put(Kind kind, String json) {
        int k = Objects.requireNonNull(kind, "kind").code();
        Objects.requireNonNull(json, "json");
        write(p -> LibScsms.scsms_model_put(p, k, json));
    }

    /**
     * Removes entity {@code id} (for reviews, a decimal index).
     *
     * @throws NotFoundException no such entity
     * @throws ValidationException something still refers to it (the errors name the referring paths)
     */
    public void remove(Kind kind, String id) {
        int k = Objects.requireNonNull(kind, "kind").code();
        Objects.requireNonNull(id, "id");
        write(p -> LibScsms.scsms_model_remove(p, k, id));
    }

    /**
     * Replaces a section with a JSON object, or removes it when
     * {@code json} is null (the organization cannot be removed).
     *
     * @throws ValidationException the model would be invalid (it is unchanged)
     */
    public void setSection(Section section, String json) {
        int s = Objects.requireNonNull(section, "section").code();
        write(p -> LibScsms.scsms_model_set_section(p, s, json));
    }

    /**
     * Applies a list of edits at once, validated once at the end,
     * all-or-nothing: a JSON array of
     * {@code {"op":"put","kind":"scenarios","value":{...}}},
     * {@code {"op":"remove","kind":"nodes","id":"N1"}},
     * {@code {"op":"set","section":"settings","value":{...} or null}}.
     *
     * @throws ValidationException the edits or the resulting model are invalid
     *         (errors in the list itself are at {@code $[i]...} paths)
     */
    public void apply(String editsJson) {
        Objects.requireNonNull(editsJson, "editsJson");
        write(p -> LibScsms.scsms_model_apply(p, editsJson));
    }

    // ---- analyses ------------------------------------------------------------------------

    /**
     * The risk register (METHOD.md sections 2 to 5) on a date.
     *
     * @param asOf the analysis date, or null for the model's {@code settings.as_of}
     * @throws InvalidArgumentException when asOf is null and the model has no {@code as_of}
     */
    public Assessment assess(LocalDate asOf) {
        String d = Dates.format(asOf);
        return new Assessment(read(p -> {
            long[] out = new long[1];
            LibScsms.scsms_assessment_run(out, p, d);
            try {
                byte[][] text = new byte[1][];
                LibScsms.scsms_assessment_to_json(text, out[0]);
                return Utf8.str(text[0]);
            } finally {
                LibScsms.scsms_assessment_free(out[0]);
            }
        }));
    }

    /** The risk register on the model's {@code settings.as_of}. */
    public Assessment assess() {
        return assess(null);
    }

    /**
     * Training coverage, gaps and training factors (METHOD.md section 7) on a date.
     *
     * @param asOf the analysis date, or null for the model's {@code settings.as_of}
     */
    public Training training(LocalDate asOf) {
        String d = Dates.format(asOf);
        return new Training(read(p -> {
            long[] out = new long[1];
            LibScsms.scsms_training_run(out, p, d);
            try {
                byte[][] text = new byte[1][];
                LibScsms.scsms_training_to_json(text, out[0]);
                return Utf8.str(text[0]);
            } finally {
                LibScsms.scsms_training_free(out[0]);
            }
        }));
    }

    /** Training on the model's {@code settings.as_of}. */
    public Training training() {
        return training(null);
    }

    /**
     * Compliance, findings, actions, certificate and readiness (METHOD.md
     * section 8) on a date.
     *
     * @param asOf the analysis date, or null for the model's {@code settings.as_of}
     */
    public AuditReport audit(LocalDate asOf) {
        String d = Dates.format(asOf);
        return new AuditReport(read(p -> {
            long[] out = new long[1];
            LibScsms.scsms_audit_run(out, p, d);
            try {
                byte[][] text = new byte[1][];
                LibScsms.scsms_audit_report_to_json(text, out[0], 0);
                return Utf8.str(text[0]);
            } finally {
                LibScsms.scsms_audit_report_free(out[0]);
            }
        }));
    }

    /** The audit analysis on the model's {@code settings.as_of}. */
    public AuditReport audit() {
        return audit(null);
    }

    /**
     * The security plan (METHOD.md section 6): candidates, efficient
     * frontier, the selection under a budget when the options give one, and
     * the plan report.
     *
     * @throws InvalidArgumentException a candidate id that is unknown or names an
     *         implemented or verified control
     */
    public Plan plan(PlanOptions options) {
        PlanOptions o = options == null ? PlanOptions.defaults() : options;
        String d = Dates.format(o.asOf());
        List<String> cands = o.candidates();
        String[] ids = cands == null ? null : cands.toArray(new String[0]);
        return new Plan(read(p -> {
            long[] out = new long[1];
            LibScsms.scsms_bind_plan_compute(out, p, d, o.budget() != null ? 1 : 0,
                    o.budget() != null ? o.budget() : 0.0, ids != null ? 1 : 0, ids);
            try {
                byte[][] text = new byte[1][];
                LibScsms.scsms_plan_to_json(text, out[0]);
                return Utf8.str(text[0]);
            } finally {
                LibScsms.scsms_plan_free(out[0]);
            }
        }));
    }

    /** The plan with the default options on a date (planned controls, no budget). */
    public Plan plan(LocalDate asOf) {
        return plan(PlanOptions.defaults().withAsOf(asOf));
    }

    /**
     * Monte Carlo simulation of the annual loss (METHOD.md section 10).
     *
     * @throws CanceledException the options' progress listener returned false
     */
    public Simulation simulate(SimulationOptions options) {
        SimulationOptions o = options == null ? SimulationOptions.defaults() : options;
        String d = Dates.format(o.asOf());
        return read(p -> Simulation.run(o, p, 0L, d, o.view().code()));
    }

    /**
     * Compiles an immutable snapshot for batch scoring (METHOD.md section
     * 9). The snapshot is independent of the model and may be shared by
     * any number of threads.
     *
     * @param asOf the analysis date, or null for the model's {@code settings.as_of}
     * @param view {@link View#CURRENT} or {@link View#TARGET} to score
     *        ({@link View#INHERENT} compiles but refuses to score)
     */
    public Snapshot compile(LocalDate asOf, View view) {
        String d = Dates.format(asOf);
        int v = Objects.requireNonNull(view, "view").code();
        long address = read(p -> {
            long[] out = new long[1];
            LibScsms.scsms_snapshot_compile(out, p, d, v);
            return out[0];
        });
        return new Snapshot(address);
    }

    // ---- locking -------------------------------------------------------------------------

    private <T> T read(LongFunction<T> f) {
        Lock l = lock.readLock();
        l.lock();
        try {
            long p = handle.acquire();
            try {
                return f.apply(p);
            } finally {
                handle.release();
            }
        } finally {
            l.unlock();
        }
    }

    private interface Edit {
        void apply(long p);
    }

    private void write(Edit f) {
        if (lock.getReadHoldCount() > 0) {
            // a read lock cannot be upgraded: waiting would deadlock
            throw new IllegalStateException("the model cannot be edited inside a call on it "
                    + "(a simulation's progress listener)");
        }
        Lock l = lock.writeLock();
        l.lock();
        try {
            long p = handle.acquire();
            try {
                f.apply(p);
            } finally {
                handle.release();
            }
        } finally {
            l.unlock();
        }
    }
}
