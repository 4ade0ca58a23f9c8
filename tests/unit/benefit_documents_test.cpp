// The 給付 documents (notice/benefit_documents.hpp) rendered to PDF and read back with pdftotext:
// the 負担割合証 (the rate sent on KY-03), the KY-16 高額 支給 and 不支給 notices (the account masked), the KY-18
// 返還金 notice with its 加算金 (法22条3項) and the three-part 納付書, the KY-23 合算 notices, the
// KY-24 statement over several pages with its totals; dates in 和暦; bad data refused naming the
// field before anything is drawn.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "notice/benefit_documents.hpp"
#include "support/poppler.hpp"

namespace {

using namespace kaigo::notice;
using kaigo::Date;
using kaigo::ErrorKind;
using kaigo::testing::have;
using kaigo::testing::run;

BenefitIssuer issuer() {
  return {"149802", "みどり市", "みどり市 健康福祉局 介護保険課 給付係", "みどり市中央区役所通1番1号", "000-000-0000",
          "みどり県介護保険審査会"};
}
Addressee addressee() { return {"9810001", "みどり市中央区一丁目2番3号", "髙﨑　花子", "タカサキ　ハナコ"}; }
PaymentAccount account() { return {"みどり銀行", "中央支店", "普通", "1234567", "タカサキ　ハナコ"}; }

CopaymentCardData card() {
  CopaymentCardData d;
  d.issuer = issuer();
  d.issued_on = Date(2025, 7, 15);
  d.addressee = addressee();
  d.insured_no = "0000123456";
  d.name = "髙﨑　花子";
  d.name_kana = "タカサキ　ハナコ";
  d.birth_date = Date(1950, 4, 2);
  d.sex = Sex::female;
  d.address = "みどり市中央区一丁目2番3号";
  d.rate = 2;
  d.validity = DatePeriod{Date(2025, 8, 1), Date(2026, 7, 31)};
  return d;
}

HighCostDecisionNoticeData high_cost() {
  HighCostDecisionNoticeData d;
  d.issuer = issuer();
  d.document_no = "みどり介保給第2025-000101号";
  d.issued_on = Date(2025, 8, 20);
  d.addressee = addressee();
  d.insured_no = "0000123456";
  d.service_month = "2025-05";
  d.paid = true;
  d.household_total = 90001;
  d.category_label = "市町村民税課税世帯（課税所得380万円未満）";
  d.household_cap = 44400;
  d.own_copayment = 30001;
  d.amount = 15201;
  d.account = account();
  d.payment_on = Date(2025, 9, 10);
  d.explanation = {"世帯の合計90,001円－世帯の上限額44,400円＝45,601円を、各人の負担額の割合で按分（円未満切捨て）。",
                   "端数1円を2人目（負担額の少ない方）に加算。"};
  return d;
}

RepaymentNoticeData repayment() {
  RepaymentNoticeData d;
  d.issuer = issuer();
  d.document_no = "みどり介保給第2025-000201号";
  d.issued_on = Date(2025, 9, 1);
  d.addressee = {"9820002", "みどり市北区桜台2丁目3番4号", "さくら 訪問介護事業所", ""};
  d.debtor_label = "事業所番号";
  d.debtor_no = "1479802011";
  d.reason_label = "偽りその他不正の行為による保険給付（介護保険法第22条第3項）";
  d.reason_detail = "令和7年4月から令和7年6月までの訪問介護費の架空請求";
  d.legal_basis = "介護保険法第22条第3項";
  d.principal = 123457;
  d.surcharge = 49382;
  d.surcharge_numerator = 40;
  d.surcharge_denominator = 100;
  d.total = 172839;
  d.due_on = Date(2025, 10, 1);
  d.slip_no = "2025000017";
  d.fiscal_year_label = "令和7年度";
  d.collection = {"みどり市会計管理者", "みどり銀行", "市役所支店", "普通", "7654321",
                  "みどり市指定金融機関・収納代理金融機関の本店・支店"};
  return d;
}

CombinedDecisionNoticeData combined() {
  CombinedDecisionNoticeData d;
  d.issuer = issuer();
  d.document_no = "みどり介保給第2025-000301号";
  d.issued_on = Date(2026, 2, 10);
  d.addressee = addressee();
  d.insured_no = "0000123456";
  d.period = DatePeriod{Date(2024, 8, 1), Date(2025, 7, 31)};
  d.medical_insurer_name = "みどり市国民健康保険";
  d.income_class_label = "一般（70歳以上）";
  d.medical_total = 400000;
  d.care_total = 300001;
  d.limit = 560000;
  d.excess = 140001;
  d.care_share = 60000;
  d.paid = true;
  d.amount = 60000;
  d.account = account();
  d.payment_on = Date(2026, 3, 10);
  d.explanation = {"超過額140,001円×介護300,001円／合計700,001円＝介護保険分60,000円（円未満切捨て）。"};
  return d;
}

BenefitStatementData statement(int rows) {
  BenefitStatementData d;
  d.issuer = issuer();
  d.document_no = "みどり介保給第2025-000401号";
  d.issued_on = Date(2025, 11, 5);
  d.addressee = addressee();
  d.insured_no = "0000123456";
  d.from_month = "2025-04";
  d.to_month = "2025-09";
  for (int i = 0; i < rows; ++i) {
    BenefitStatementRow r;
    r.service_month = "2025-0" + std::to_string(4 + i % 6);
    r.office_name = i % 2 ? "ひまわり ヘルパーステーション" : "地域密着型特別養護老人ホーム はなみずき";
    r.service_name = i % 2 ? "訪問介護" : "地域密着型介護老人福祉施設入所者生活介護";
    r.days = 1 + i % 30;
    r.total_cost = 10000 + i;
    r.insurance_paid = 9000 + i;
    r.copayment = 1000;
    d.rows.push_back(r);
  }
  return d;
}

struct Rendered {
  std::string text;
  int pages = 0;
};

Rendered rendered(const std::string& name, const std::function<kaigo::Result<void>(PdfWriter&)>& render) {
  const auto file = kaigo::testing::temp_pdf(name);
  auto w = PdfWriter::open(file, PdfMetadata{"給付", ""});
  if (!w) ADD_FAILURE() << w.error().message;
  if (!w) return {};
  auto ok = render(*w);
  if (!ok) ADD_FAILURE() << ok.error().message;
  auto summary = w->finish();
  if (!summary) ADD_FAILURE() << summary.error().message;
  Rendered out;
  if (summary) {
    out.pages = summary->pages;
    EXPECT_TRUE(summary->substitutions.empty());
  }
  out.text = run("pdftotext -layout " + file.string() + " -");
  std::filesystem::remove(file);
  return out;
}

std::string flat(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\n') out += c;
  return out;
}

void expect_all(const std::string& text, std::initializer_list<const char*> needles) {
  const std::string f = flat(text);
  for (const char* s : needles) EXPECT_NE(f.find(flat(s)), std::string::npos) << s << "\n" << text;
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(BenefitDocuments, KY_03_CopaymentCardShowsRatePeriodPersonAndInsurer) {
  if (!have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  auto r = rendered("ben_card", [](PdfWriter& w) { return render_copayment_card(w, card()); });
  EXPECT_EQ(r.pages, 1);
  expect_all(r.text, {"介護保険負担割合証", "交付年月日", "令和7年7月15日", "0000123456", "髙﨑", "タカサキ", "昭和25年4月2日", "女",
                      "利用者負担の割合", "2割", "令和7年8月1日", "令和8年7月31日", "149802", "みどり市", "〒981-0001",
                      "第28条の2", "介護保険課 給付係"});
}

TEST(BenefitDocuments, KY_16_HighCostPaidNoticeShowsMonthCapsAmountsAndTheMaskedAccount) {
  if (!have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  auto r = rendered("ben_hc", [](PdfWriter& w) { return render_high_cost_decision_notice(w, high_cost()); });
  EXPECT_EQ(r.pages, 1);
  expect_all(r.text, {"高額介護サービス費 支給決定通知書", "みどり介保給第2025-000101号", "令和7年8月20日", "みどり市長",
                      "令和7年5月サービス提供分", "令和7年5月", "市町村民税課税世帯", "44,400円", "90,001円", "30,001円",
                      "15,201円", "みどり銀行", "中央支店", "普通", "****567", "令和7年9月10日", "端数1円", "第51条",
                      "教示", "みどり県介護保険審査会", "3か月以内"});
  EXPECT_EQ(flat(r.text).find("1234567"), std::string::npos) << "the account number is printed masked";
  EXPECT_EQ(r.text.find("不支給"), std::string::npos);
}

TEST(BenefitDocuments, KY_16_HighCostNotPaidNoticeShowsTheReasonAndNoAccount) {
  if (!have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  auto d = high_cost();
  d.paid = false;
  d.amount = 0;
  d.account.reset();
  d.payment_on.reset();
  d.household_total = 40000;
  d.individual_cap = 15000;
  d.not_paid_reason = "世帯の利用者負担額の合計が上限額を超えていないため。";
  auto r = rendered("ben_hc_no", [&](PdfWriter& w) { return render_high_cost_decision_notice(w, d); });
  expect_all(r.text, {"高額介護サービス費 不支給決定通知書", "不支給の理由", "上限額を超えていない", "個人", "15,000円", "0円",
                      "教示"});
  EXPECT_EQ(r.text.find("振込先"), std::string::npos);
}

TEST(BenefitDocuments, KY_18_RepaymentNoticeAndTheThreePartSlip) {
  if (!have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  auto r = rendered("ben_rep", [](PdfWriter& w) { return render_repayment_notice(w, repayment()); });
  EXPECT_EQ(r.pages, 2);
  expect_all(r.text, {"返還金決定通知書", "事業所番号", "1479802011", "さくら 訪問介護事業所", "架空請求", "123,457円",
                      "49,382円", "100分の40", "介護保険法第22条第3項", "172,839円", "令和7年10月1日", "2025000017",
                      "教示", "納付書", "領収済通知書", "領収証書", "金融機関保管", "納付者保管", "令和7年度",
                      "介護保険 返還金", "みどり市会計管理者", "市役所支店", "7654321", "領収日付印", "きりとり線"});
  // Every part carries the slip number, the total and the due date: 3 parts + the notice.
  EXPECT_GE(count(flat(r.text), "2025000017"), 4u);
  EXPECT_GE(count(flat(r.text), "172,839円"), 4u);
  EXPECT_GE(count(flat(r.text), "令和7年10月1日"), 4u);

  auto slip = rendered("ben_slip", [](PdfWriter& w) { return render_repayment_slip(w, repayment()); });
  EXPECT_EQ(slip.pages, 1);
  expect_all(slip.text, {"領収済通知書", "領収証書", "2025000017", "172,839円"});
  EXPECT_EQ(slip.text.find("教示"), std::string::npos);
}

TEST(BenefitDocuments, KY_18_RepaymentWithoutSurchargeSaysNothingOfArticle22_3) {
  if (!have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  auto d = repayment();
  d.addressee = addressee();
  d.debtor_label = "被保険者番号";
  d.debtor_no = "0000123456";
  d.reason_label = "高額介護サービス費の過払い";
  d.reason_detail = "令和7年5月分の高額介護サービス費（給付実績の修正による）";
  d.legal_basis = "介護保険法第22条第1項";  // as the service words it; printed as given
  d.surcharge = 0;
  d.total = d.principal;
  auto r = rendered("ben_rep0", [&](PdfWriter& w) { return render_repayment_notice(w, d); });
  expect_all(r.text, {"高額介護サービス費の過払い", "123,457円", "被保険者番号", "0000123456"});
  EXPECT_EQ(flat(r.text).find("100分の40"), std::string::npos);
}

TEST(BenefitDocuments, KY_23_CombinedPaidAndNotPaid) {
  if (!have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  auto r = rendered("ben_comb", [](PdfWriter& w) { return render_combined_decision_notice(w, combined()); });
  EXPECT_EQ(r.pages, 1);
  expect_all(r.text, {"高額医療合算介護サービス費 支給決定通知書", "令和6年8月1日～令和7年7月31日", "みどり市国民健康保険",
                      "一般（70歳以上）", "400,000円", "300,001円", "700,001円", "560,000円", "140,001円", "60,000円",
                      "****567", "令和8年3月10日", "第51条の2", "教示"});
  auto d = combined();
  d.paid = false;
  d.amount = 0;
  d.account.reset();
  d.payment_on.reset();
  d.medical_total = 100000;
  d.care_total = 90500;
  d.limit = 190000;
  d.excess = 500;
  d.care_share = 237;
  d.not_paid_reason = "支給総額が支給基準額500円以下のため。";
  auto no = rendered("ben_comb_no", [&](PdfWriter& w) { return render_combined_decision_notice(w, d); });
  expect_all(no.text, {"不支給決定通知書", "支給基準額500円以下", "不支給の理由"});
}

TEST(BenefitDocuments, KY_24_StatementRunsOverPagesWithTotalsOnTheLast) {
  if (!have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  auto one = rendered("ben_stmt1", [](PdfWriter& w) { return render_benefit_statement(w, statement(3)); });
  EXPECT_EQ(one.pages, 1);
  expect_all(one.text, {"介護保険給付費支払のお知らせ", "令和7年4月から令和7年9月まで", "ひまわり ヘルパーステーション",
                        "訪問介護", "10,001", "9,001", "合計", "30,003", "27,003", "3,000", "1 / 1", "お問い合わせ先"});
  EXPECT_EQ(one.text.find("教示"), std::string::npos);  // not a decision

  const auto long_one = statement(60);
  auto many = rendered("ben_stmt60", [&](PdfWriter& w) { return render_benefit_statement(w, long_one); });
  ASSERT_GE(many.pages, 3);
  std::int64_t cost = 0, paid = 0;
  for (const auto& row : long_one.rows) cost += row.total_cost, paid += row.insurance_paid;
  const std::string n = std::to_string(many.pages);
  expect_all(many.text, {"（続き）", ("1 / " + n).c_str(), (n + " / " + n).c_str(), "601,770", "541,770", "60,000"});
  EXPECT_EQ(cost, 601770);
  EXPECT_EQ(paid, 541770);
  // Every row is printed once: the 60 months-and-offices appear (30 of each office).
  EXPECT_EQ(count(flat(many.text), "ひまわりヘルパーステーション"), 30u);
  // The insured number heads every page after the first.
  EXPECT_GE(count(flat(many.text), "0000123456"), static_cast<std::size_t>(many.pages));
}

TEST(BenefitDocuments, BadDataIsRefusedNamingTheFieldBeforeAnythingIsDrawn) {
  auto c = card();
  c.rate = 4;
  EXPECT_EQ(copayment_card_document(c).error().field, "rate");
  c = card();
  c.insured_no = "123";
  EXPECT_EQ(copayment_card_document(c).error().field, "insured_no");
  c = card();
  c.validity = DatePeriod{Date(2026, 8, 1), Date(2026, 7, 31)};
  EXPECT_EQ(copayment_card_document(c).error().field, "validity");

  auto h = high_cost();
  h.service_month = "2025-13";
  EXPECT_EQ(high_cost_decision_notice_document(h).error().field, "service_month");
  h = high_cost();
  h.account->account_no = "12-34";
  EXPECT_EQ(high_cost_decision_notice_document(h).error().field, "account.account_no");
  h = high_cost();
  h.account.reset();
  EXPECT_EQ(high_cost_decision_notice_document(h).error().field, "account");
  h = high_cost();
  h.amount = 40000;  // more than own
  EXPECT_EQ(high_cost_decision_notice_document(h).error().field, "amount");
  h = high_cost();
  h.paid = false;
  EXPECT_EQ(high_cost_decision_notice_document(h).error().field, "amount");
  h.amount = 0;
  EXPECT_EQ(high_cost_decision_notice_document(h).error().field, "not_paid_reason");
  h = high_cost();
  h.addressee.name.clear();
  EXPECT_EQ(high_cost_decision_notice_document(h).error().field, "addressee.name");
  h = high_cost();
  h.issuer.insurer_no = "14980";
  EXPECT_EQ(high_cost_decision_notice_document(h).error().field, "issuer.insurer_no");

  auto r = repayment();
  r.total = r.principal;
  EXPECT_EQ(repayment_notice_document(r).error().field, "total");
  r = repayment();
  r.due_on = Date(2025, 8, 31);
  EXPECT_EQ(repayment_notice_document(r).error().field, "due_on");
  r = repayment();
  r.slip_no.clear();
  EXPECT_EQ(repayment_slip_document(r).error().field, "slip_no");
  r = repayment();
  r.collection.account_no.clear();
  EXPECT_EQ(repayment_slip_document(r).error().field, "collection.account_no");
  r = repayment();
  r.principal = 0;
  EXPECT_EQ(repayment_notice_document(r).error().field, "principal");

  auto m = combined();
  m.amount = 59999;
  EXPECT_EQ(combined_decision_notice_document(m).error().field, "amount");
  m = combined();
  m.care_share = 140002;
  EXPECT_EQ(combined_decision_notice_document(m).error().field, "care_share");
  m = combined();
  m.medical_total = -1;
  EXPECT_EQ(combined_decision_notice_document(m).error().field, "medical_total");

  auto s = statement(2);
  s.rows[1].days = -1;
  EXPECT_EQ(benefit_statement_document(s).error().field, "rows[1].days");
  s = statement(2);
  s.rows[0].service_month = "2025-10";
  EXPECT_EQ(benefit_statement_document(s).error().field, "rows[0].service_month");
  s = statement(2);
  s.rows[1].office_name.clear();
  EXPECT_EQ(benefit_statement_document(s).error().field, "rows[1].office_name");
  s = statement(0);
  EXPECT_EQ(benefit_statement_document(s).error().field, "rows");
  EXPECT_EQ(*service_month_text("2019-05", "m"), "令和元年5月");
  EXPECT_FALSE(service_month_text("2019/05", "m"));
}

}  // namespace
