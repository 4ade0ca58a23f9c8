// 高額医療合算: KY-23 the 国保's split checked and decided, the KY-17 payment, the notice. See combined.hpp.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "benefit/benefit_payment.hpp"
#include "benefit/combined.hpp"
#include "benefit/combined_internal.hpp"

namespace kaigo::benefit {

namespace {

using nlohmann::json;

constexpr const char* kResultFormat = "kaigo.kokuho.combined_result/1";

struct ResultLine {
  std::string path;
  std::int64_t combined_id = 0;
  std::string person_id;
  std::int64_t medical_total = 0, care_total = 0, excess = 0, care_share = 0;
  CombinedShare share;
  Date period_from;
};

struct Read {
  std::vector<InboundFault> faults;
  std::vector<ResultLine> lines;
};

Result<Read> read_results(store::Connection& c, const BenefitRules& rules, const std::string& payload) {
  Read out;
  auto bad = [&](const std::string& field, const std::string& message) { out.faults.push_back(InboundFault{0, field, message}); };
  const json j = json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    bad("(document)", "not a JSON object");
    return out;
  }
  if (j.value("format", "") != kResultFormat) bad("format", fmt::format("must be {}", kResultFormat));
  if (!j.contains("results") || !j["results"].is_array() || j["results"].empty()) {
    bad("results", "must be a non-empty array");
    return out;
  }
  for (std::size_t i = 0; i < j["results"].size(); ++i) {
    const json& r = j["results"][i];
    ResultLine x;
    x.path = fmt::format("results[{}]", i);
    if (!r.is_object()) {
      bad(x.path, "must be an object");
      continue;
    }
    bool ok = true;
    auto yen = [&](const char* key, std::int64_t& v) {
      if (!r.contains(key) || !r[key].is_number_integer() || r[key].get<std::int64_t>() < 0) {
        bad(x.path + "." + key, "must be a whole number of yen ≥ 0");
        ok = false;
        return;
      }
      v = r[key].get<std::int64_t>();
    };
    if (!r.contains("kokuho_ref") || !r["kokuho_ref"].is_string()) {
      bad(x.path + ".kokuho_ref", "is required");
      continue;
    }
    yen("medical_total", x.medical_total);
    yen("care_total", x.care_total);
    yen("excess", x.excess);
    yen("care_share", x.care_share);
    auto app = c.query_one(
        "SELECT combined_id, person_id, status, care_copayment, period_from, age_band, income_class "
        "FROM combined_application WHERE kokuho_ref = $1",
        {r["kokuho_ref"].get<std::string>()});
    if (!app) return std::unexpected(app.error());
    if (!*app) {
      bad(x.path + ".kokuho_ref", "no application has this number");
      continue;
    }
    const store::Row& a = **app;
    if (a.str(2) != "certified") {
      bad(x.path + ".kokuho_ref", fmt::format("the application is {}, not waiting for its result", a.str(2)));
      continue;
    }
    if (!ok) continue;
    x.combined_id = a.i64(0);
    x.person_id = a.str(1);
    // The care total must be the one the city certified (KY-22).
    if (x.care_total != a.i64(3)) {
      bad(x.path + ".care_total", "differs from the 自己負担額 the city certified (KY-22)");
      continue;
    }
    auto from = Date::parse(a.str(4));
    if (!from) return std::unexpected(from.error());
    x.period_from = *from;
    auto v = rules.on(*from);
    if (!v) return fail(ErrorKind::internal, "no benefit rules for a stored period");
    auto share = combined_care_share(**v, a.str(5), a.str(6), x.medical_total, x.care_total);
    if (!share) {
      bad(x.path, share.error().message);
      continue;
    }
    if (share->excess != x.excess) {
      bad(x.path + ".excess", "differs from the rule's computation (施行令22条の3)");
      continue;
    }
    if (share->care_share != x.care_share) {
      bad(x.path + ".care_share", "differs from the rule's computation (excess × care / (medical + care))");
      continue;
    }
    x.share = *share;
    out.lines.push_back(std::move(x));
  }
  return out;
}

}  // namespace

Result<std::vector<InboundFault>> combined_result_faults(store::Connection& c, const BenefitRules& rules,
                                                         const std::string& payload) {
  auto read = read_results(c, rules, payload);
  if (!read) return std::unexpected(read.error());
  return std::move(read->faults);
}

namespace combined_detail {

Result<void> apply_results(store::Connection& c, const Clock& clock, const BenefitRules& rules, const linkage::Exchange& e) {
  auto read = read_results(c, rules, e.payload);
  if (!read) return std::unexpected(read.error());
  auto file_id = insert_applied_file(c, clock, "KY-23", e, "1", static_cast<std::int64_t>(read->lines.size()), "{}");
  if (!file_id) return std::unexpected(file_id.error());
  int paid = 0, not_paid = 0;
  for (const ResultLine& l : read->lines) {
    // Paid only when the excess is more than the 支給基準額 and both totals are non-zero (the rule's payable).
    const bool payable = l.share.payable;
    const std::int64_t amount = payable ? l.care_share : 0;
    auto up = c.exec(
        "UPDATE combined_application SET status = $1, medical_copayment = $2, excess_total = $3, care_share = $4, "
        "decided_amount = $5, decided_on = $6, explanation = $7, result_file_id = $8 WHERE combined_id = $9",
        {std::string(payable ? "decided" : "not_payable"), l.medical_total, l.excess, l.care_share, amount,
         clock.today().iso(), l.share.explanation, *file_id, l.combined_id});
    if (!up) return std::unexpected(up.error());
    if (auto p = linkage::add_person(c, e.exchange_id, l.person_id); !p) return std::unexpected(p.error());
    if (!payable) {
      ++not_paid;
      continue;
    }
    ++paid;
    auto acc = c.query_one(
        "SELECT a.bank_code, a.branch_code, a.account_kind, a.account_no, a.account_holder_kana, p.name_kanji "
        "FROM combined_application a JOIN person p ON p.person_id = a.person_id WHERE a.combined_id = $1",
        {l.combined_id});
    if (!acc) return std::unexpected(acc.error());
    if (!*acc) return fail(ErrorKind::internal, "a combined application without its person");
    const store::Row& r = **acc;
    NewPayment pay{"KY-17", "combined", fmt::format("combined:{}", l.combined_id), l.person_id, r.str(5), amount,
                   PaymentAccount{r.str(0), r.str(1), r.str(2), r.str(3), r.str(4)}};
    auto added = add_payment(c, clock, pay);
    if (!added) return std::unexpected(added.error());
  }
  auto s = c.exec("UPDATE benefit_inbound_file SET summary = $1 WHERE file_id = $2",
                  {json{{"results", read->lines.size()}, {"paid", paid}, {"not_payable", not_paid}}.dump(), *file_id});
  if (!s) return std::unexpected(s.error());
  return {};
}

}  // namespace combined_detail

Result<int> record_rejected_combined_files(store::Database& db, const Clock& clock, const BenefitRules& rules) {
  auto a = record_rejected_inbound(db, clock, "KY-21", [&](store::Connection& c, const linkage::Exchange& e) {
    return combined_application_faults(c, rules, e.payload);
  });
  if (!a) return std::unexpected(a.error());
  auto b = record_rejected_inbound(db, clock, "KY-23", [&](store::Connection& c, const linkage::Exchange& e) {
    return combined_result_faults(c, rules, e.payload);
  });
  if (!b) return std::unexpected(b.error());
  return *a + *b;
}

Result<std::string> combined_notice_pdf(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                        const PaymentsOffice& office, std::int64_t combined_id, const std::string& actor) {
  std::optional<notice::Document> doc;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto a = load_combined(c, combined_id);
    if (!a) return std::unexpected(a.error());
    if (a->status != "decided" && a->status != "not_payable")
      return fail(ErrorKind::conflict, "the application is not decided yet (KY-23)", "status");
    auto p = c.query_one(
        "SELECT p.postal_code, p.address, p.name_kanji, p.name_kana, n.insured_no, a.bank_code, a.branch_code, "
        "a.account_kind, a.account_no, a.account_holder_kana FROM combined_application a "
        "JOIN person p ON p.person_id = a.person_id LEFT JOIN insured_number n ON n.person_id = a.person_id "
        "WHERE a.combined_id = $1",
        {combined_id});
    if (!p) return std::unexpected(p.error());
    if (!*p) return fail(ErrorKind::internal, "a combined application without its person");
    const store::Row& r = **p;
    notice::CombinedDecisionNoticeData d;
    d.issuer = office.issuer;
    d.document_no = fmt::format("合算第{}号", combined_id);
    d.issued_on = clock.today();
    d.addressee = notice::Addressee{r.str(0), r.str(1), r.str(2), r.str(3)};
    d.insured_no = r.str(4);
    auto from = Date::parse(a->period_from);
    auto to = Date::parse(a->period_to);
    if (!from || !to) return fail(ErrorKind::internal, "a stored period does not parse");
    d.period = notice::DatePeriod{*from, *to};
    d.medical_insurer_name = fmt::format("保険者番号 {}", a->medical_insurer_no);
    d.income_class_label = a->income_class;
    d.medical_total = a->medical_copayment.value_or(0);
    d.care_total = a->care_copayment.value_or(0);
    auto v = config.rules.on(*from);
    if (v) {
      auto share = combined_care_share(**v, a->age_band, a->income_class, d.medical_total, d.care_total);
      if (share) d.limit = share->limit;
    }
    d.excess = a->excess_total.value_or(0);
    d.care_share = a->care_share.value_or(0);
    d.paid = a->status == "decided";
    d.amount = a->decided_amount.value_or(0);
    if (d.paid) {
      d.account = notice::PaymentAccount{fmt::format("金融機関コード{}", r.str(5)), fmt::format("店舗コード{}", r.str(6)),
                                         r.str(7) == "current" ? "当座" : "普通", r.str(8), r.str(9)};
      auto decided = Date::parse(a->decided_on.value_or(""));
      d.payment_on = (decided ? *decided : clock.today()).add_days(office.payment_days);
    } else {
      d.not_paid_reason = d.medical_total == 0 || d.care_total == 0
                              ? "医療保険または介護保険の自己負担額が0円のため"
                              : "支給額が支給基準額 (500円) 以下のため";
    }
    if (!a->explanation.empty()) d.explanation.push_back(a->explanation);
    auto rendered = notice::combined_decision_notice_document(d);
    if (!rendered) return std::unexpected(rendered.error());
    doc = std::move(*rendered);
    auto first = c.exec(
        "INSERT INTO benefit_document (person_id, kind, ref_id, issued_on, issued_by, once_key) "
        "VALUES ($1, 'combined_notice', $2, $3, $4, $5) ON CONFLICT (once_key) DO NOTHING",
        {a->person_id, combined_id, clock.today().iso(), actor, fmt::format("combined_notice:{}", combined_id)});
    if (!first) return std::unexpected(first.error());
    if (*first == 0) {
      auto reprint = c.exec(
          "INSERT INTO benefit_document (person_id, kind, ref_id, issued_on, issued_by) VALUES ($1, 'combined_notice', $2, $3, $4)",
          {a->person_id, combined_id, clock.today().iso(), actor});
      if (!reprint) return std::unexpected(reprint.error());
    }
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return benefit_pdf_bytes(*doc, "高額医療合算介護サービス費支給決定通知書", "KY-23");
}

}  // namespace kaigo::benefit
