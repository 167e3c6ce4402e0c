package org.scsms;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Audits, compliance, certification and readiness of a model on a date
 * (METHOD.md section 8). {@link #toJson()} is OUTPUT.md's audit object (with
 * the extra keys {@code requirement_controls} and
 * {@code unaddressed_requirements}, docs/AUDIT.md). Immutable and
 * independent of the model.
 */
public final class AuditReport extends AnalysisResult {
    private final List<Catalogue> catalogues;
    private final List<Finding> findings;
    private final List<Action> actions;
    private final Certificate certificate;
    private final List<Blocker> blockers;

    AuditReport(String json) {
        super(json);
        Map<String, Object> m = toMap();
        List<Catalogue> cs = new ArrayList<>();
        for (Object o : Json.list(m, "catalogues")) {
            Map<String, Object> c = Json.obj(o);
            List<Requirement> rs = new ArrayList<>();
            for (Object ro : Json.list(c, "requirements")) {
                Map<String, Object> r = Json.obj(ro);
                rs.add(new Requirement(Json.str(r, "requirement"), Json.str(r, "status"),
                        Json.dbl(r, "score"), Json.str(r, "audit")));
            }
            cs.add(new Catalogue(Json.str(c, "catalogue"), Json.dbl(c, "compliance"),
                    Collections.unmodifiableList(rs)));
        }
        catalogues = Collections.unmodifiableList(cs);
        List<Finding> fs = new ArrayList<>();
        for (Object o : Json.list(m, "findings")) {
            Map<String, Object> f = Json.obj(o);
            fs.add(new Finding(Json.str(f, "id"), Json.str(f, "audit"), Json.str(f, "audit_type"),
                    Json.str(f, "requirement"), Json.str(f, "grade"), Dates.parse(Json.str(f, "raised")),
                    Json.boolOrNull(f, "closed")));
        }
        findings = Collections.unmodifiableList(fs);
        List<Action> as = new ArrayList<>();
        for (Object o : Json.list(m, "actions")) {
            Map<String, Object> a = Json.obj(o);
            as.add(new Action(Json.str(a, "id"), Json.str(a, "finding"), Json.str(a, "status"),
                    Dates.parse(Json.str(a, "due")), Json.bool(a, "done"), Json.bool(a, "overdue")));
        }
        actions = Collections.unmodifiableList(as);
        Map<String, Object> c = Json.obj(m, "certificate");
        List<LocalDate> sd = new ArrayList<>();
        for (Object o : Json.list(c, "surveillance_due")) {
            sd.add(Dates.parse((String) o));
        }
        certificate = new Certificate(Json.str(c, "status"), Json.str(c, "scheme"),
                Dates.parse(Json.str(c, "issued")), Dates.parse(Json.str(c, "expires")),
                Collections.unmodifiableList(sd), Json.integer(c, "surveillance_audits"),
                Dates.parse(Json.str(c, "next_due")), Dates.parse(Json.str(c, "recertification_due")));
        List<Blocker> bs = new ArrayList<>();
        for (Object o : Json.list(Json.obj(m, "readiness"), "blockers")) {
            Map<String, Object> b = Json.obj(o);
            bs.add(new Blocker(Json.str(b, "type"), Json.str(b, "id"), Json.dbl(b, "coverage"),
                    Json.dbl(b, "threshold")));
        }
        blockers = Collections.unmodifiableList(bs);
    }

    /** ISO28000:2022 first, then the model's catalogues in document order. */
    public List<Catalogue> catalogues() {
        return catalogues;
    }

    /** Catalogue id -> compliance (mean requirement score). */
    public Map<String, Double> compliance() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Catalogue c : catalogues) {
            out.put(c.id(), c.compliance());
        }
        return Collections.unmodifiableMap(out);
    }

    /** The findings that play a part on the date, document order. */
    public List<Finding> findings() {
        return findings;
    }

    /** The actions of those findings, document order. */
    public List<Action> actions() {
        return actions;
    }

    /** The certificate's status and calendar on the date. */
    public Certificate certificate() {
        return certificate;
    }

    /** True when nothing blocks certification readiness. */
    public boolean ready() {
        return Json.bool(Json.obj(toMap(), "readiness"), "ready");
    }

    /** The readiness blockers, in METHOD 8's order. */
    public List<Blocker> blockers() {
        return blockers;
    }

    /** Requirements ("CATALOGUE#ID") that no control (retired ones excepted) addresses. */
    public List<String> unaddressedRequirements() {
        return Json.strings(toMap(), "unaddressed_requirements");
    }

    /**
     * A requirement catalogue's compliance.
     *
     * @param id the catalogue id
     * @param compliance the mean score over its requirements
     * @param requirements its requirements in catalogue order
     */
    public record Catalogue(String id, double compliance, List<Requirement> requirements) {
    }

    /**
     * A requirement's status on the date.
     *
     * @param requirement "CATALOGUE#ID"
     * @param status "conform", "minor", "major" or "unassessed"
     * @param score 1, 0.5 or 0
     * @param audit the counted audit whose result gave the status; null when unassessed
     */
    public record Requirement(String requirement, String status, double score, String audit) {
    }

    /**
     * A finding that plays a part on the date.
     *
     * @param id the finding id
     * @param audit its audit
     * @param auditType the audit's type
     * @param requirement "CATALOGUE#ID"
     * @param grade "major", "minor", "observation" or "ofi"
     * @param raised when it was raised
     * @param closed closed on the date; null for observations and ofi
     */
    public record Finding(String id, String audit, String auditType, String requirement, String grade,
            LocalDate raised, Boolean closed) {
    }

    /**
     * A corrective action.
     *
     * @param id the action id
     * @param finding its finding
     * @param status as written ("open", "in_progress", "done", "verified")
     * @param due the effective due date, or null
     * @param done done or verified, completed on or before the date
     * @param overdue a due date, not done, the date after it
     */
    public record Action(String id, String finding, String status, LocalDate due, boolean done,
            boolean overdue) {
    }

    /**
     * The certificate on the date; with no certificate, status
     * "not_certified", dates null and no surveillance.
     *
     * @param status "not_certified", "expired", "surveillance_overdue" or "valid"
     * @param scheme the scheme (an extra key of the library's output), or null
     * @param issued issue date
     * @param expires expiry (defaulted)
     * @param surveillanceDue the surveillance due dates
     * @param surveillanceAudits surveillance audits after issue and on or before the date
     * @param nextDue the next due date
     * @param recertificationDue = expires
     */
    public record Certificate(String status, String scheme, LocalDate issued, LocalDate expires,
            List<LocalDate> surveillanceDue, int surveillanceAudits, LocalDate nextDue,
            LocalDate recertificationDue) {
    }

    /**
     * A readiness blocker.
     *
     * @param type "open_major_finding", "overdue_action", "unassessed_requirement",
     *        "no_management_review", "training_coverage_below_threshold" or
     *        "scenario_above_appetite"
     * @param id the finding, action, requirement or scenario; null for the two without
     * @param coverage the overall training coverage (training_coverage_below_threshold), else NaN
     * @param threshold the threshold (training_coverage_below_threshold), else NaN
     */
    public record Blocker(String type, String id, double coverage, double threshold) {
    }
}
