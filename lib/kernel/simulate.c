/* Public face of the Monte Carlo simulation: statistics and JSON. */
#include <math.h>
#include <string.h>

#include "scsms/simulate.h"
#include "scsms/version.h"
#include "scsms/kernel.h"
#include "sim.h"
#include "sim_sort.h"
#include "snapshot_internal.h"

#define N_LEC 101

struct scsms_simulation {
    uint64_t trials, seed;
    int view;
    char as_of[11];
    double mean, std;
    double *sorted;          /* trial losses, ascending */
    double *samples;         /* trial order, when kept */
    uint32_t n_scen;
    char **scen_ids;         /* one allocation: ids packed after the pointer array */
    double *scen_mean;
    double lec_loss[N_LEC], lec_prob[N_LEC];
};

int scsms_simulate_options_init(scsms_simulate_options *opts, unsigned version)
{
    if (!opts)
        return scsms__fail(SCSMS_EINVAL, "scsms_simulate_options_init: opts is NULL");
    if (version != SCSMS_SIMULATE_OPTIONS_VERSION)
        return scsms__fail(SCSMS_EVERSION, "scsms_simulate_options_init: unknown version %u",
                           version);
    scsms_simulate_options d = SCSMS_SIMULATE_OPTIONS_INIT;
    *opts = d;
    return SCSMS_OK;
}

static double quantile_sorted(const double *x, uint64_t n, double q)
{
    double h = (double)(n - 1) * q;
    double lo = floor(h);
    uint64_t i = (uint64_t)lo;
    if (i + 1 >= n)
        return x[n - 1];
    double t = h - lo, a = x[i], b = x[i + 1];
    /* numpy's lerp: symmetric form for t >= 0.5 */
    return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

/* number of values > y in ascending x */
static uint64_t count_greater(const double *x, uint64_t n, double y)
{
    uint64_t lo = 0, hi = n;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (x[mid] > y)
            hi = mid;
        else
            lo = mid + 1;
    }
    return n - lo;
}

void scsms_simulation_free(scsms_simulation *s)
{
    if (!s)
        return;
    scsms__free_mem(s->sorted);
    scsms__free_mem(s->samples);
    scsms__free_mem(s->scen_ids);
    scsms__free_mem(s->scen_mean);
    scsms__free_mem(s);
}

static int check_options(scsms_simulate_options *o, const scsms_simulate_options *opts)
{
    scsms_simulate_options d = SCSMS_SIMULATE_OPTIONS_INIT;
    *o = d;
    if (opts) {
        if (opts->version != SCSMS_SIMULATE_OPTIONS_VERSION)
            return scsms__fail(SCSMS_EVERSION, "simulate: unknown options version %u",
                               opts->version);
        *o = *opts;
    }
    if (o->trials < 1 || o->trials > SCSMS_SIMULATE_MAX_TRIALS)
        return scsms__fail(SCSMS_EINVAL, "simulate: trials must be 1 to %llu, got %llu",
                           (unsigned long long)SCSMS_SIMULATE_MAX_TRIALS,
                           (unsigned long long)o->trials);
    if (o->threads < 1 || o->threads > SCSMS_MAX_THREADS)
        return scsms__fail(SCSMS_EINVAL, "simulate: threads must be 1 to %u, got %u",
                           SCSMS_MAX_THREADS, o->threads);
    return SCSMS_OK;
}

int scsms_simulate(scsms_simulation **out, const scsms_snapshot *snap,
                   const scsms_simulate_options *opts)
{
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_simulate: out is NULL");
    *out = NULL;
    if (!snap)
        return scsms__fail(SCSMS_EINVAL, "scsms_simulate: snapshot is NULL");
    scsms_simulate_options o;
    int rc = check_options(&o, opts);
    if (rc)
        return rc;
    const scsms__sim_tables *t = snap->sim;
    scsms_simulation *s = scsms__calloc(1, sizeof *s);
    if (!s)
        return scsms__oom();
    s->trials = o.trials;
    s->seed = o.seed;
    s->view = snap->view;
    memcpy(s->as_of, snap->as_of_text, sizeof s->as_of);

    /* scenario ids, copied: the result is independent of the snapshot */
    size_t idbytes = 0;
    for (uint32_t i = 0; i < snap->n_scenarios; i++)
        idbytes += strlen(snap->scen_ids[i]) + 1;
    s->n_scen = snap->n_scenarios;
    s->scen_ids = scsms__malloc((snap->n_scenarios + 1) * sizeof(char *) + idbytes);
    s->scen_mean = scsms__calloc(snap->n_scenarios + 1, sizeof *s->scen_mean);
    s->sorted = scsms__malloc(o.trials * sizeof *s->sorted);
    if (!s->scen_ids || !s->scen_mean || !s->sorted) {
        rc = scsms__oom();
        goto fail;
    }
    {
        char *p = (char *)(s->scen_ids + snap->n_scenarios + 1);
        for (uint32_t i = 0; i < snap->n_scenarios; i++) {
            size_t l = strlen(snap->scen_ids[i]) + 1;
            memcpy(p, snap->scen_ids[i], l);
            s->scen_ids[i] = p;
            p += l;
        }
    }
    double moments[2];
    if ((rc = scsms__sim_run(t, o.trials, o.seed, o.threads, o.progress, o.payload, s->sorted,
                             s->scen_mean, moments)))
        goto fail;
    for (uint32_t i = 0; i < s->n_scen; i++)
        s->scen_mean[i] /= (double)o.trials;

    /* mean and standard deviation (ddof 0): from the blocks' moments, which
     * the workers computed and the run combined in block order (sim.h), so
     * the same bits for any thread count */
    s->mean = moments[0];
    s->std = sqrt(moments[1] / (double)o.trials);
    if (o.keep_samples) {
        s->samples = scsms__malloc(o.trials * sizeof *s->samples);
        if (!s->samples) {
            rc = scsms__oom();
            goto fail;
        }
        memcpy(s->samples, s->sorted, o.trials * sizeof *s->samples);
    }
    /* the radix sort on the caller's threads (sim_sort.c): the same order,
     * so the same bits, for any thread count */
    if (scsms__sim_sort(s->sorted, o.trials, o.threads)) {
        rc = scsms__oom();
        goto fail;
    }
    double mx = s->sorted[o.trials - 1];
    for (int i = 0; i < N_LEC; i++) {
        s->lec_loss[i] = i == N_LEC - 1 ? mx : mx * i / 100.0;
        s->lec_prob[i] = (double)count_greater(s->sorted, o.trials, s->lec_loss[i]) /
                         (double)o.trials;
    }
    *out = s;
    return SCSMS_OK;
fail:
    scsms_simulation_free(s);
    return rc;
}

int scsms_simulate_model(scsms_simulation **out, const scsms_model *m, const char *as_of,
                         int view, const scsms_simulate_options *opts)
{
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_simulate_model: out is NULL");
    *out = NULL;
    if (!m)
        return scsms__fail(SCSMS_EINVAL, "scsms_simulate_model: model is NULL");
    scsms_simulate_options o;
    int rc = check_options(&o, opts);
    if (rc)
        return rc;
    if (view < 0 || view > 2)
        return scsms__fail(SCSMS_EINVAL, "simulate: view %d is not 0 (inherent), 1 (current) "
                                         "or 2 (target)", view);
    scsms_snapshot *snap = NULL;
    if ((rc = scsms_snapshot_compile(&snap, m, as_of, view)))
        return rc;
    rc = scsms_simulate(out, snap, &o);
    scsms_snapshot_free(snap);
    return rc;
}

#define NAN_IF(c) if (c) return NAN

uint64_t scsms_simulation_trials(const scsms_simulation *s) { return s ? s->trials : 0; }
uint64_t scsms_simulation_seed(const scsms_simulation *s) { return s ? s->seed : 0; }
int scsms_simulation_view(const scsms_simulation *s) { return s ? s->view : -1; }
const char *scsms_simulation_as_of(const scsms_simulation *s) { return s ? s->as_of : NULL; }
double scsms_simulation_mean(const scsms_simulation *s) { NAN_IF(!s); return s->mean; }
double scsms_simulation_std(const scsms_simulation *s) { NAN_IF(!s); return s->std; }

double scsms_simulation_quantile(const scsms_simulation *s, double q)
{
    NAN_IF(!s || !(q >= 0 && q <= 1));
    return quantile_sorted(s->sorted, s->trials, q);
}

size_t scsms_simulation_scenario_count(const scsms_simulation *s) { return s ? s->n_scen : 0; }

const char *scsms_simulation_scenario_id(const scsms_simulation *s, size_t i)
{
    return s && i < s->n_scen ? s->scen_ids[i] : NULL;
}

double scsms_simulation_scenario_mean(const scsms_simulation *s, size_t i)
{
    NAN_IF(!s || i >= s->n_scen);
    return s->scen_mean[i];
}

size_t scsms_simulation_lec_count(const scsms_simulation *s) { return s ? N_LEC : 0; }

double scsms_simulation_lec_loss(const scsms_simulation *s, size_t i)
{
    NAN_IF(!s || i >= N_LEC);
    return s->lec_loss[i];
}

double scsms_simulation_lec_probability(const scsms_simulation *s, size_t i)
{
    NAN_IF(!s || i >= N_LEC);
    return s->lec_prob[i];
}

const double *scsms_simulation_samples(const scsms_simulation *s, size_t *n_out)
{
    if (n_out)
        *n_out = s && s->samples ? (size_t)s->trials : 0;
    return s ? s->samples : NULL;
}

int scsms_simulation_to_json(char **out, const scsms_simulation *s)
{
    static const char *const qk[5] = {"50", "90", "95", "99", "99.9"};
    static const double qv[5] = {0.5, 0.9, 0.95, 0.99, 0.999};
    static const char *const views[3] = {"inherent", "current", "target"};
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_simulation_to_json: out is NULL");
    *out = NULL;
    if (!s)
        return scsms__fail(SCSMS_EINVAL, "scsms_simulation_to_json: simulation is NULL");
    scsms__buf b;
    scsms__jw w;
    scsms__buf_init(&b);
    scsms__jw_init(&w, &b, 0);
    scsms__jw_obj(&w);
    scsms__jw_kstr(&w, "method", SCSMS_METHOD);
    scsms__jw_kstr(&w, "as_of", s->as_of);
    scsms__jw_kstr(&w, "view", views[s->view]);
    scsms__jw_kint(&w, "trials", (long long)s->trials);
    scsms__jw_kint(&w, "seed", (long long)s->seed);
    scsms__jw_knum(&w, "mean", s->mean);
    scsms__jw_knum(&w, "std", s->std);
    scsms__jw_key(&w, "quantiles");
    scsms__jw_obj(&w);
    for (int i = 0; i < 5; i++)
        scsms__jw_knum(&w, qk[i], quantile_sorted(s->sorted, s->trials, qv[i]));
    scsms__jw_obj_end(&w);
    scsms__jw_key(&w, "scenario_means");
    scsms__jw_obj(&w);
    for (uint32_t i = 0; i < s->n_scen; i++)
        scsms__jw_knum(&w, s->scen_ids[i], s->scen_mean[i]);
    scsms__jw_obj_end(&w);
    scsms__jw_key(&w, "lec");
    scsms__jw_arr(&w);
    for (int i = 0; i < N_LEC; i++) {
        scsms__jw_obj(&w);
        scsms__jw_knum(&w, "loss", s->lec_loss[i]);
        scsms__jw_knum(&w, "probability", s->lec_prob[i]);
        scsms__jw_obj_end(&w);
    }
    scsms__jw_arr_end(&w);
    scsms__jw_obj_end(&w);
    *out = scsms__buf_detach(&b, NULL);
    return *out ? SCSMS_OK : scsms__oom();
}
