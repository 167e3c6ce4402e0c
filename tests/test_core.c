/* lib/core: dates, numbers, ids, UTF-8, paths, buffers, JSON writer. */
#include <math.h>
#include <string.h>

#include "core/core.h"
#include "cu_main.h"

static scsms__date D(const char *s)
{
    scsms__date d = SCSMS__DATE_NONE;
    CU_ASSERT_EQUAL_FATAL(scsms__date_parse(s, strlen(s), &d), 0);
    return d;
}

static void expect_date(scsms__date d, const char *s)
{
    char buf[11];
    scsms__date_format(d, buf);
    CU_ASSERT_STRING_EQUAL(buf, s);
}

static void test_date_parse(void)
{
    scsms__date d;
    CU_ASSERT_EQUAL(scsms__date_parse("2024-02-29", 10, &d), 0);
    CU_ASSERT_EQUAL(scsms__date_parse("2023-02-29", 10, &d), -1);
    CU_ASSERT_EQUAL(scsms__date_parse("1900-02-29", 10, &d), -1);   /* not a leap year */
    CU_ASSERT_EQUAL(scsms__date_parse("2000-02-29", 10, &d), 0);    /* leap year */
    CU_ASSERT_EQUAL(scsms__date_parse("2024-13-01", 10, &d), -1);
    CU_ASSERT_EQUAL(scsms__date_parse("2024-00-10", 10, &d), -1);
    CU_ASSERT_EQUAL(scsms__date_parse("2024-04-31", 10, &d), -1);
    CU_ASSERT_EQUAL(scsms__date_parse("0000-01-01", 10, &d), -1);
    CU_ASSERT_EQUAL(scsms__date_parse("2024-1-01", 9, &d), -1);
    CU_ASSERT_EQUAL(scsms__date_parse("2024/01/01", 10, &d), -1);
    CU_ASSERT_EQUAL(scsms__date_parse("+024-01-01", 10, &d), -1);
    CU_ASSERT_EQUAL(D("0001-01-01"), 0);
    CU_ASSERT_EQUAL(D("9999-12-31"), SCSMS__DATE_MAX);
    CU_ASSERT_EQUAL(D("1970-01-01"), 719162);
    expect_date(D("2024-02-29"), "2024-02-29");
    expect_date(D("0001-01-01"), "0001-01-01");
    expect_date(D("9999-12-31"), "9999-12-31");
    CU_ASSERT_EQUAL(D("2024-03-01") - D("2024-02-28"), 2);
}

static void test_date_months(void)
{
    /* METHOD 1: 2024-01-31 + 1 month = 2024-02-29; 2024-03-31 - 1 month = 2024-02-29 */
    expect_date(scsms__date_add_months(D("2024-01-31"), 1), "2024-02-29");
    expect_date(scsms__date_add_months(D("2024-03-31"), -1), "2024-02-29");
    expect_date(scsms__date_add_months(D("2023-01-31"), 1), "2023-02-28");
    expect_date(scsms__date_add_months(D("2024-02-29"), 12), "2025-02-28");
    expect_date(scsms__date_add_months(D("2024-05-15"), 36), "2027-05-15");
    expect_date(scsms__date_add_months(D("2024-12-15"), 1), "2025-01-15");
    expect_date(scsms__date_add_months(D("2024-01-15"), -1), "2023-12-15");
    /* saturation at the bounds */
    expect_date(scsms__date_add_months(D("9999-06-30"), 12), "9999-12-31");
    expect_date(scsms__date_add_months(D("0001-06-30"), -12), "0001-01-01");
    expect_date(scsms__date_add_days(D("9999-12-30"), 5), "9999-12-31");
    expect_date(scsms__date_add_days(D("0001-01-02"), -5), "0001-01-01");
    expect_date(scsms__date_add_days(D("2024-02-28"), 1), "2024-02-29");
}

static void check_fmt(double x, const char *want)
{
    char buf[32];
    scsms__fmt_double(buf, x);
    CU_ASSERT_STRING_EQUAL(buf, want);
}

static void test_numbers(void)
{
    check_fmt(0.1, "0.1");
    check_fmt(5, "5");
    check_fmt(-0.0, "-0");
    check_fmt(20000000, "20000000");
    check_fmt(1.0 / 3.0, "0.3333333333333333");
    check_fmt(1e300, "1e300");
    check_fmt(1e-7, "1e-7");
    check_fmt(-2.5e-10, "-2.5e-10");
    check_fmt(1.5e20, "1.5e20");
    check_fmt(0.005, "0.005");
    double v;
    CU_ASSERT_EQUAL(scsms__parse_json_number("3.0", 3, &v), 0);
    CU_ASSERT_EQUAL(v, 3.0);
    CU_ASSERT_EQUAL(scsms__parse_json_number("3e0", 3, &v), 0);
    CU_ASSERT_EQUAL(scsms__parse_json_number("1e400", 5, &v), -2);
    CU_ASSERT_EQUAL(scsms__parse_json_number("-1e400", 6, &v), -2);
    CU_ASSERT_EQUAL(scsms__parse_json_number("01", 2, &v), -1);
    CU_ASSERT_EQUAL(scsms__parse_json_number("1.", 2, &v), -1);
    CU_ASSERT_EQUAL(scsms__parse_json_number(".5", 2, &v), -1);
    CU_ASSERT_EQUAL(scsms__parse_json_number("1e", 2, &v), -1);
    CU_ASSERT_EQUAL(scsms__parse_json_number("-", 1, &v), -1);
    CU_ASSERT_EQUAL(scsms__parse_json_number("NaN", 3, &v), -1);
    /* round trip of awkward values */
    double xs[] = {0.1 + 0.2, 1e-300, 123456789.123456789, 5e-324, 1.7976931348623157e308};
    for (size_t i = 0; i < SCSMS__ARRAY_LEN(xs); i++) {
        char buf[32];
        int n = scsms__fmt_double(buf, xs[i]);
        CU_ASSERT_EQUAL(scsms__parse_json_number(buf, (size_t)n, &v), 0);
        CU_ASSERT_EQUAL(v, xs[i]);
    }
}

static void test_ids_utf8(void)
{
    CU_ASSERT_TRUE(scsms__id_valid("N-1.a_b:c", 9));
    CU_ASSERT_FALSE(scsms__id_valid("", 0));
    CU_ASSERT_FALSE(scsms__id_valid("a b", 3));
    CU_ASSERT_FALSE(scsms__id_valid("é", 2));
    char long_id[66];
    memset(long_id, 'a', 65);
    long_id[65] = 0;
    CU_ASSERT_TRUE(scsms__id_valid(long_id, 64));
    CU_ASSERT_FALSE(scsms__id_valid(long_id, 65));
    CU_ASSERT_EQUAL(scsms__utf8_check("h\xc3\xa9llo", 6), 6);
    CU_ASSERT_EQUAL(scsms__utf8_check("ab\xc3", 3), 2);          /* truncated */
    CU_ASSERT_EQUAL(scsms__utf8_check("a\xc0\x80", 3), 1);       /* overlong */
    CU_ASSERT_EQUAL(scsms__utf8_check("\xed\xa0\x80", 3), 0);    /* surrogate */
    CU_ASSERT_EQUAL(scsms__utf8_check("\xf4\x90\x80\x80", 4), 0); /* > U+10FFFF */
    CU_ASSERT_EQUAL(scsms__utf8_check("\xf0\x9f\x98\x80", 4), 4);
    CU_ASSERT_EQUAL(scsms__utf8_check("\xff", 1), 0);
}

static void test_paths(void)
{
    scsms__path p;
    scsms__path_init(&p);
    scsms__path_key(&p, "scenarios");
    scsms__path_index(&p, 3);
    scsms__path_key(&p, "likelihood");
    CU_ASSERT_STRING_EQUAL(scsms__path_str(&p), "$.scenarios[3].likelihood");
    scsms__path_pop(&p);
    scsms__path_pop(&p);
    scsms__path_pop(&p);
    scsms__path_key(&p, "assurance");
    scsms__path_key(&p, "AEO-S");
    CU_ASSERT_STRING_EQUAL(scsms__path_str(&p), "$.assurance[\"AEO-S\"]");
    scsms__path_pop(&p);
    scsms__path_key(&p, "a\"b\\c\x01");
    CU_ASSERT_STRING_EQUAL(scsms__path_str(&p), "$.assurance[\"a\\\"b\\\\c\\u0001\"]");
    scsms__path_free(&p);
}

static void test_writer(void)
{
    scsms__buf b;
    scsms__jw w;
    scsms__buf_init(&b);
    scsms__jw_init(&w, &b, 0);
    scsms__jw_obj(&w);
    scsms__jw_kstr(&w, "a", "x\"y");
    scsms__jw_key(&w, "b");
    scsms__jw_arr(&w);
    scsms__jw_num(&w, 0.5);
    scsms__jw_int(&w, 3);
    scsms__jw_int(&w, -9223372036854775807LL - 1);
    scsms__jw_int(&w, 0);
    scsms__jw_null(&w);
    scsms__jw_arr_end(&w);
    scsms__jw_key(&w, "c");
    scsms__jw_obj(&w);
    scsms__jw_obj_end(&w);
    scsms__jw_kbool(&w, "d", 1);
    scsms__jw_obj_end(&w);
    CU_ASSERT_STRING_EQUAL(b.data, "{\"a\":\"x\\\"y\",\"b\":[0.5,3,-9223372036854775808,0,null],\"c\":{},\"d\":true}");
    scsms__buf_free(&b);

    scsms__buf_init(&b);
    scsms__jw_init(&w, &b, 1);
    scsms__jw_obj(&w);
    scsms__jw_key(&w, "k");
    scsms__jw_arr(&w);
    scsms__jw_int(&w, 1);
    scsms__jw_arr_end(&w);
    scsms__jw_obj_end(&w);
    CU_ASSERT_STRING_EQUAL(b.data, "{\n  \"k\": [\n    1\n  ]\n}");
    scsms__buf_free(&b);
}

static void test_alloc_injection(void)
{
    scsms__alloc_fail_after(0);
    CU_ASSERT_PTR_NULL(scsms__malloc(8));
    scsms__alloc_fail_after(1);
    void *p = scsms__malloc(8);
    CU_ASSERT_PTR_NOT_NULL(p);
    CU_ASSERT_PTR_NULL(scsms__malloc(8));
    scsms__free_mem(p);
    scsms__alloc_fail_after(-1);
    p = scsms__malloc(8);
    CU_ASSERT_PTR_NOT_NULL(p);
    scsms__free_mem(p);
}

static void test_errors(void)
{
    scsms_error_clear();
    CU_ASSERT_STRING_EQUAL(scsms_error_last(), "");
    CU_ASSERT_EQUAL(scsms__fail(SCSMS_EINVAL, "bad %d", 3), SCSMS_EINVAL);
    CU_ASSERT_STRING_EQUAL(scsms_error_last(), "bad 3");
    CU_ASSERT_EQUAL(scsms_error_last_code(), SCSMS_EINVAL);
    CU_ASSERT_STRING_EQUAL(scsms_status_str(SCSMS_ENOMEM), "out of memory");
    CU_ASSERT_STRING_EQUAL(scsms_status_str(-999), "unknown status");
}

static CU_TestInfo core_tests[] = {
    {"date parse", test_date_parse},
    {"date months", test_date_months},
    {"numbers", test_numbers},
    {"ids and utf8", test_ids_utf8},
    {"paths", test_paths},
    {"json writer", test_writer},
    {"alloc injection", test_alloc_injection},
    {"errors", test_errors},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"core", NULL, NULL, NULL, NULL, core_tests},
    CU_SUITE_INFO_NULL,
};

SCSMS_CU_MAIN(suites)
