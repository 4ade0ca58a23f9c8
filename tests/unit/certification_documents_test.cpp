// The 認定 documents (notice/certification_documents.hpp) rendered to PDF and read back with
// pdftotext: NT-13 結果通知書 (certified and 非該当, with the 教示), the 延期通知書, NT-06
// 受給資格証明書 (with the 14-day note from the data), the 更新申請のお知らせ, NT-07 認定調査依頼書
// and NT-09 主治医意見書作成依頼書; dates in 和暦; bad data refused naming the field before anything
// is drawn; several documents in one print file.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "notice/certification_documents.hpp"
#include "support/poppler.hpp"

namespace {

using namespace kaigo::notice;
using kaigo::Date;
using kaigo::ErrorKind;
using kaigo::testing::have;
using kaigo::testing::run;

CertificationIssuer issuer() {
  return {"149802", "みどり市", "みどり市 健康福祉局 介護保険課 認定係", "みどり市中央区役所通1番1号", "000-000-0000",
          "みどり県介護保険審査会"};
}

Addressee addressee() { return {"9810001", "みどり市中央区一丁目2番3号", "髙﨑　花子", "タカサキ　ハナコ"}; }

CertificationPerson person() {
  return {"0000123456", "髙﨑　花子", "タカサキ　ハナコ", Date(1950, 4, 2), Sex::female, "みどり市中央区一丁目2番3号",
          "000-1111-2222"};
}

CertificationResultNoticeData certified_notice() {
  CertificationResultNoticeData d;
  d.issuer = issuer();
  d.document_no = "みどり介保認第2025-000042号";
  d.issued_on = Date(2025, 6, 12);
  d.addressee = addressee();
  d.insured_no = "0000123456";
  d.application_no = "A2025000042";
  d.application_kind = "新規";
  d.applied_on = Date(2025, 5, 15);
  d.certified = true;
  d.care_level = "要介護２";
  d.certified_on = Date(2025, 6, 10);
  d.validity = DatePeriod{Date(2025, 5, 15), Date(2025, 11, 30)};
  d.monthly_cap_units = 19705;
  d.committee_remarks = "通所リハビリテーションの利用が望ましい。";
  return d;
}

CertificationResultNoticeData none_notice() {
  CertificationResultNoticeData d = certified_notice();
  d.certified = false;
  d.care_level = "非該当";
  d.certified_on.reset();
  d.validity.reset();
  d.monthly_cap_units.reset();
  d.committee_remarks.clear();
  d.not_certified_reason = "要介護認定等基準時間が25分未満であり、日常生活に支援を要する状態とは認められないため。";
  return d;
}

CertificationPostponementNoticeData postponement() {
  CertificationPostponementNoticeData d;
  d.issuer = issuer();
  d.document_no = "みどり介保認第2025-000050号";
  d.issued_on = Date(2025, 6, 10);
  d.addressee = addressee();
  d.insured_no = "0000123456";
  d.application_no = "A2025000042";
  d.application_kind = "更新";
  d.applied_on = Date(2025, 5, 15);
  d.expected_on = Date(2025, 7, 4);
  d.reason = "主治医意見書の提出が遅れているため。";
  return d;
}

EntitlementCertificateData certificate() {
  EntitlementCertificateData d;
  d.issuer = issuer();
  d.document_no = "みどり介保認第2025-000060号";
  d.issued_on = Date(2025, 9, 1);
  d.person = person();
  d.new_address = "あおば市北町5番6号";
  d.moved_out_on = Date(2025, 8, 31);
  d.care_level = "要介護３";
  d.certified_on = Date(2025, 6, 10);
  d.validity = DatePeriod{Date(2025, 5, 15), Date(2025, 11, 30)};
  d.committee_remarks = "なし";
  d.transfer_certificate_days = 14;
  return d;
}

RenewalReminderData reminder() {
  RenewalReminderData d;
  d.issuer = issuer();
  d.document_no = "みどり介保認第2025-000070号";
  d.issued_on = Date(2025, 10, 2);
  d.addressee = addressee();
  d.insured_no = "0000123456";
  d.care_level = "要支援１";
  d.validity = DatePeriod{Date(2025, 5, 15), Date(2025, 11, 30)};
  d.window_opens = Date(2025, 10, 2);
  d.renewal_window_days = 60;
  d.where_to_apply = "各区役所 保健福祉課 高齢介護係";
  return d;
}

AssessmentRequestData assessment_request() {
  AssessmentRequestData d;
  d.issuer = issuer();
  d.document_no = "みどり介保認第2025-000043号";
  d.issued_on = Date(2025, 5, 16);
  d.request_no = "C2025000042-1";
  d.application_no = "A2025000042";
  d.application_kind = "新規";
  d.applied_on = Date(2025, 5, 15);
  d.contractor_name = "みどり認定調査センター";
  d.assessor_name = "佐藤　一郎";
  d.place = "在宅";
  d.place_detail = "自宅";
  d.person = person();
  d.due_on = Date(2025, 5, 30);
  return d;
}

OpinionRequestData opinion_request() {
  OpinionRequestData d;
  d.issuer = issuer();
  d.document_no = "みどり介保認第2025-000044号";
  d.issued_on = Date(2025, 5, 16);
  d.request_no = "D2025000042-1";
  d.application_no = "A2025000042";
  d.application_kind = "新規";
  d.applied_on = Date(2025, 5, 15);
  d.institution_name = "みどり中央病院";
  d.doctor_name = "田中　医師";
  d.first_visit = true;
  d.person = person();
  d.due_on = Date(2025, 5, 30);
  return d;
}

// Renders with `render` into a one-document print file and returns pdftotext's text.
std::string rendered(const std::string& name, const std::function<kaigo::Result<void>(PdfWriter&)>& render) {
  const auto file = kaigo::testing::temp_pdf(name);
  auto w = PdfWriter::open(file, PdfMetadata{"認定", ""});
  if (!w) ADD_FAILURE() << w.error().message;
  if (!w) return {};
  auto ok = render(*w);
  if (!ok) ADD_FAILURE() << ok.error().message;
  auto summary = w->finish();
  if (!summary) ADD_FAILURE() << summary.error().message;
  if (summary) {
    EXPECT_EQ(summary->pages, 1);
    EXPECT_TRUE(summary->substitutions.empty());
  }
  std::string text = run("pdftotext -layout " + file.string() + " -");
  std::filesystem::remove(file);
  return text;
}

// pdftotext breaks long sentences where the page does: compare without spaces and line ends.
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

TEST(CertificationDocuments, NT_13_ResultNoticeOfACertifiedLevelShowsLevelDatesCapAndTheAppealInstructions) {
  if (!have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  const auto d = certified_notice();
  const std::string text = rendered("cert_result", [&](PdfWriter& w) { return render_certification_result_notice(w, d); });
  expect_all(text, {"要介護認定等結果通知書", "みどり介保認第2025-000042号", "令和7年6月12日", "みどり市長", "〒981-0001",
                    "髙﨑", "0000123456", "A2025000042", "新規", "令和7年5月15日", "要介護２", "令和7年6月10日",
                    "令和7年5月15日～令和7年11月30日", "19,705単位", "通所リハビリテーション", "第27条第7項",
                    "被保険者証を同封", "介護保険課 認定係", "教示", "みどり県介護保険審査会", "3か月以内",
                    "第183条", "6か月以内", "行政事件訴訟法第14条", "第196条"});
  EXPECT_EQ(text.find("非該当"), std::string::npos);
}

TEST(CertificationDocuments, NT_13_ResultNoticeOfNoneShowsTheReasonAndTheAppealInstructions) {
  if (!have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  const auto d = none_notice();
  const std::string text = rendered("cert_none", [&](PdfWriter& w) { return render_certification_result_notice(w, d); });
  expect_all(text, {"要介護認定等結果通知書", "非該当", "理由", "25分未満", "第27条第9項", "お返しします",
                    "みどり県介護保険審査会", "3か月以内", "6か月以内"});
  EXPECT_EQ(text.find("区分支給限度基準額"), std::string::npos);
  EXPECT_EQ(text.find("認定の有効期間"), std::string::npos);
}

TEST(CertificationDocuments, PostponementNoticeShowsApplicationExpectedDateAndReason) {
  if (!have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  const auto d = postponement();
  const std::string text =
      rendered("cert_postpone", [&](PdfWriter& w) { return render_certification_postponement_notice(w, d); });
  expect_all(text, {"認定延期通知書", "令和7年5月15日", "処理見込期日", "令和7年7月4日", "主治医意見書の提出が遅れている",
                    "第27条第11項", "ただし書", "更新", "0000123456", "お問い合わせ先"});
  EXPECT_EQ(text.find("教示"), std::string::npos);  // not a 処分
}

TEST(CertificationDocuments, NT_06_EntitlementCertificateShowsTheCertificationAndTheDaysOfArticle36) {
  if (!have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  const auto d = certificate();
  const std::string text = rendered("cert_entitle", [&](PdfWriter& w) { return render_entitlement_certificate(w, d); });
  expect_all(text, {"介護保険受給資格証明書", "0000123456", "髙﨑", "タカサキ", "昭和25年4月2日", "女", "149802",
                    "みどり市", "要介護３", "令和7年6月10日", "令和7年5月15日～令和7年11月30日", "転出年月日",
                    "令和7年8月31日", "あおば市北町", "14日以内", "第36条", "令和7年9月1日"});
  auto other = certificate();
  other.transfer_certificate_days = 21;  // the figure is the data's, not the code's
  const std::string text21 = rendered("cert_entitle21", [&](PdfWriter& w) { return render_entitlement_certificate(w, other); });
  EXPECT_NE(text21.find("21日以内"), std::string::npos) << text21;
}

TEST(CertificationDocuments, RenewalReminderShowsLevelValidityEndWindowAndWhereToApply) {
  if (!have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  const auto d = reminder();
  const std::string text = rendered("cert_renew", [&](PdfWriter& w) { return render_renewal_reminder(w, d); });
  expect_all(text, {"更新申請のお知らせ", "要支援１", "令和7年11月30日まで", "令和7年10月2日から", "60日前から",
                    "各区役所 保健福祉課", "0000123456", "お問い合わせ先"});
  auto own_office = reminder();
  own_office.where_to_apply.clear();
  const std::string text2 = rendered("cert_renew2", [&](PdfWriter& w) { return render_renewal_reminder(w, own_office); });
  EXPECT_NE(text2.find("申請先"), std::string::npos);
  EXPECT_EQ(text2.find("各区役所"), std::string::npos);
}

TEST(CertificationDocuments, NT_07_AssessmentRequestShowsRequestPersonDueDateAndContact) {
  if (!have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  const auto d = assessment_request();
  const std::string text = rendered("cert_chosa", [&](PdfWriter& w) { return render_assessment_request(w, d); });
  expect_all(text, {"認定調査依頼書", "みどり認定調査センター", "御中", "佐藤", "C2025000042-1", "A2025000042",
                    "髙﨑", "昭和25年4月2日", "みどり市中央区一丁目2番3号", "在宅（自宅）", "提出期限", "令和7年5月30日",
                    "第27条第2項", "依頼元", "000-000-0000"});
}

TEST(CertificationDocuments, NT_09_OpinionRequestShowsRequestPersonKindDueDateAndContact) {
  if (!have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  const auto d = opinion_request();
  const std::string text = rendered("cert_iken", [&](PdfWriter& w) { return render_opinion_request(w, d); });
  expect_all(text, {"主治医意見書作成依頼書", "みどり中央病院", "田中", "先生", "D2025000042-1", "髙﨑", "昭和25年4月2日",
                    "新規", "令和7年5月30日", "第27条第3項", "依頼元"});
  auto continued = opinion_request();
  continued.first_visit = false;
  const std::string text2 = rendered("cert_iken2", [&](PdfWriter& w) { return render_opinion_request(w, continued); });
  EXPECT_NE(text2.find("継続"), std::string::npos) << text2;
}

TEST(CertificationDocuments, SeveralDocumentsShareOnePrintFile) {
  const auto file = kaigo::testing::temp_pdf("cert_batch");
  auto w = PdfWriter::open(file, PdfMetadata{"要介護認定等結果通知書", ""});
  ASSERT_TRUE(w) << w.error().message;
  for (int i = 0; i < 5; ++i) {
    auto d = i % 2 ? none_notice() : certified_notice();
    d.insured_no = "000012345" + std::to_string(i);
    ASSERT_TRUE(render_certification_result_notice(*w, d));
  }
  auto summary = w->finish();
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->pages, 5);
  if (have("pdftotext")) {
    const std::string text = run("pdftotext -layout " + file.string() + " -");
    for (int i = 0; i < 5; ++i) EXPECT_NE(text.find("000012345" + std::to_string(i)), std::string::npos) << i;
  }
  std::filesystem::remove(file);
}

// ---- bad data: refused naming the field, before anything is drawn ----

template <typename Data>
struct Broken {
  std::string why;
  std::function<void(Data&)> change;
  std::string field;
};

template <typename Data, typename Make>
void expect_refused(const Data& good, const std::vector<Broken<Data>>& rows, Make make) {
  ASSERT_TRUE(make(good)) << "the good data renders";
  for (const auto& r : rows) {
    Data d = good;
    r.change(d);
    auto doc = make(d);
    ASSERT_FALSE(doc) << r.why;
    EXPECT_EQ(doc.error().kind, ErrorKind::invalid_input) << r.why;
    EXPECT_EQ(doc.error().field, r.field) << r.why << ": " << doc.error().message;
  }
}

TEST(CertificationDocuments, NT_13_BadResultNoticeDataIsRefusedNamingTheField) {
  using D = CertificationResultNoticeData;
  expect_refused<D>(certified_notice(),
                    {
                        {"insured_no of 9 digits", [](D& d) { d.insured_no = "000012345"; }, "insured_no"},
                        {"insured_no with a letter", [](D& d) { d.insured_no = "00001234A6"; }, "insured_no"},
                        {"no name", [](D& d) { d.addressee.name.clear(); }, "addressee.name"},
                        {"no address", [](D& d) { d.addressee.address.clear(); }, "addressee.address"},
                        {"bad postal code", [](D& d) { d.addressee.postal_code = "981-0001"; }, "addressee.postal_code"},
                        {"insurer_no of 5 digits", [](D& d) { d.issuer.insurer_no = "14980"; }, "issuer.insurer_no"},
                        {"no insurer name", [](D& d) { d.issuer.insurer_name.clear(); }, "issuer.insurer_name"},
                        {"no department", [](D& d) { d.issuer.department.clear(); }, "issuer.department"},
                        {"no level", [](D& d) { d.care_level.clear(); }, "care_level"},
                        {"no kind", [](D& d) { d.application_kind.clear(); }, "application_kind"},
                        {"certified without 認定日", [](D& d) { d.certified_on.reset(); }, "certified_on"},
                        {"certified without validity", [](D& d) { d.validity.reset(); }, "validity"},
                        {"validity reversed",
                         [](D& d) { d.validity = DatePeriod{Date(2025, 11, 30), Date(2025, 5, 15)}; }, "validity"},
                        {"certified without cap", [](D& d) { d.monthly_cap_units.reset(); }, "monthly_cap_units"},
                    },
                    [](const D& d) { return certification_result_notice_document(d); });
  expect_refused<D>(none_notice(),
                    {{"非該当 without reason", [](D& d) { d.not_certified_reason.clear(); }, "not_certified_reason"}},
                    [](const D& d) { return certification_result_notice_document(d); });
}

TEST(CertificationDocuments, BadPostponementCertificateAndReminderDataAreRefusedNamingTheField) {
  using P = CertificationPostponementNoticeData;
  expect_refused<P>(postponement(),
                    {
                        {"no reason", [](P& d) { d.reason.clear(); }, "reason"},
                        {"expected before applied", [](P& d) { d.expected_on = d.applied_on; }, "expected_on"},
                        {"bad insured_no", [](P& d) { d.insured_no = "123"; }, "insured_no"},
                        {"no name", [](P& d) { d.addressee.name.clear(); }, "addressee.name"},
                    },
                    [](const P& d) { return certification_postponement_notice_document(d); });
  using E = EntitlementCertificateData;
  expect_refused<E>(certificate(),
                    {
                        {"bad insured_no", [](E& d) { d.person.insured_no = "00001234567"; }, "person.insured_no"},
                        {"no name", [](E& d) { d.person.name.clear(); }, "person.name"},
                        {"no level", [](E& d) { d.care_level.clear(); }, "care_level"},
                        {"validity reversed", [](E& d) { std::swap(d.validity.from, d.validity.to); }, "validity"},
                        {"no days of 法36条", [](E& d) { d.transfer_certificate_days = 0; }, "transfer_certificate_days"},
                    },
                    [](const E& d) { return entitlement_certificate_document(d); });
  using R = RenewalReminderData;
  expect_refused<R>(reminder(),
                    {
                        {"window after the end", [](R& d) { d.window_opens = Date(2025, 12, 1); }, "window_opens"},
                        {"no window days", [](R& d) { d.renewal_window_days = 0; }, "renewal_window_days"},
                        {"no level", [](R& d) { d.care_level.clear(); }, "care_level"},
                        {"bad insured_no", [](R& d) { d.insured_no.clear(); }, "insured_no"},
                    },
                    [](const R& d) { return renewal_reminder_document(d); });
}

TEST(CertificationDocuments, NT_07_NT_09_BadRequestDataIsRefusedNamingTheField) {
  using A = AssessmentRequestData;
  expect_refused<A>(assessment_request(),
                    {
                        {"no request_no", [](A& d) { d.request_no.clear(); }, "request_no"},
                        {"no contractor", [](A& d) { d.contractor_name.clear(); }, "contractor_name"},
                        {"no place", [](A& d) { d.place.clear(); }, "place"},
                        {"no person name", [](A& d) { d.person.name.clear(); }, "person.name"},
                        {"no person address", [](A& d) { d.person.address.clear(); }, "person.address"},
                        {"bad insured_no", [](A& d) { d.person.insured_no = "x"; }, "person.insured_no"},
                        {"due before the request", [](A& d) { d.due_on = Date(2025, 5, 15); }, "due_on"},
                    },
                    [](const A& d) { return assessment_request_document(d); });
  using O = OpinionRequestData;
  expect_refused<O>(opinion_request(),
                    {
                        {"no institution", [](O& d) { d.institution_name.clear(); }, "institution_name"},
                        {"no doctor", [](O& d) { d.doctor_name.clear(); }, "doctor_name"},
                        {"no person name", [](O& d) { d.person.name.clear(); }, "person.name"},
                        {"due before the request", [](O& d) { d.due_on = Date(2025, 5, 1); }, "due_on"},
                        {"bad insurer_no", [](O& d) { d.issuer.insurer_no = "ABCDEF"; }, "issuer.insurer_no"},
                    },
                    [](const O& d) { return opinion_request_document(d); });
}

TEST(CertificationDocuments, RefusedDataWritesNothingIntoThePrintFile) {
  const auto file = kaigo::testing::temp_pdf("cert_refused");
  auto w = PdfWriter::open(file, PdfMetadata{"認定", ""});
  ASSERT_TRUE(w) << w.error().message;
  auto bad = certified_notice();
  bad.insured_no = "1";
  auto r = render_certification_result_notice(*w, bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "insured_no");
  EXPECT_EQ(w->pages(), 0);
  ASSERT_TRUE(render_certification_result_notice(*w, certified_notice()));
  EXPECT_EQ(w->pages(), 1);
  ASSERT_TRUE(w->finish());
  std::filesystem::remove(file);
}

}  // namespace
