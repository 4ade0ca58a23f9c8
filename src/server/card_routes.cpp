// GET /api/v1/persons/{person_id}/insurance-card.pdf: the person's 被保険者証 (SK-17) as a PDF for
// the counter, with ?reissue_reason=… for a 再交付. The card shows what the register holds today;
// the certification panels stay empty until the certification business fills them.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/hash.hpp"
#include "notice/insurance_card.hpp"
#include "people/person_store.hpp"
#include "server/access_log.hpp"
#include "server/routes.hpp"

namespace kaigo::server {

namespace {

// The card is rendered to a private temporary file (cairo writes PDFs to files) and read back.
Result<std::string> render_to_bytes(const notice::InsuranceCardData& card) {
  const auto path = std::filesystem::temp_directory_path() / fmt::format("kaigo-card-{}.pdf", to_hex(random_bytes(8)));
  auto written = notice::write_insurance_cards(path, std::span<const notice::InsuranceCardData>(&card, 1));
  if (!written) return std::unexpected(written.error());
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::error_code ec;
  std::filesystem::remove(path, ec);
  return bytes.str();
}

}  // namespace

void add_card_routes(Router& router, ServerContext& ctx) {
  router.add(Route{
      "GET", "/api/v1/persons/{person_id}/insurance-card.pdf", "the person's 被保険者証 as a PDF (SK-17; 再交付 with a reason)",
      card_issuers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        const std::string& id = req.path_params.at(0);
        std::optional<people::Person> person;
        auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
          auto p = people::find_person(c, id);
          if (!p) return std::unexpected(p.error());
          person = std::move(*p);
          return {};
        });
        if (!read) return std::unexpected(read.error());
        if (!person) return fail(ErrorKind::not_found, fmt::format("no person {}", id), "person_id");
        if (!person->insured_no)
          return fail(ErrorKind::conflict, "this person has no 被保険者番号: not insured, so there is no card", "insured_no");
        auto birth = Date::parse(person->birth_date);
        if (!birth) return fail(ErrorKind::internal, "a stored birth date is not a date");
        notice::InsuranceCardData card;
        card.insured_no = *person->insured_no;
        card.address = person->address;
        card.name_kana = person->name_kana;
        card.name = person->name_kanji;
        card.birth_date = *birth;
        card.sex = person->sex == "1" ? notice::Sex::male : notice::Sex::female;
        card.issued_on = ctx.clock.today();
        card.insurer_no = ctx.city.insurer_no;
        card.insurer_name = ctx.city.insurer_name;
        card.reissue_reason = req.query("reissue_reason").value_or("");
        auto pdf = render_to_bytes(card);
        if (!pdf) return std::unexpected(pdf.error());
        auto logged = ctx.db.transaction([&](store::Connection& c) {
          return record_access(c, ctx.clock, req.user().user.user_id, id, AccessAction::read,
                               "GET /api/v1/persons/{person_id}/insurance-card.pdf", false);
        });
        if (!logged) return std::unexpected(logged.error());
        ApiResponse r;
        r.text = std::move(*pdf);
        r.content_type = "application/pdf";
        r.headers.emplace_back("Content-Disposition", fmt::format("inline; filename=\"insurance-card-{}.pdf\"", id));
        return r;
      },
      {{"reissue_reason", "再交付の理由 (紛失, 汚損 …); empty for a first issue"}}});
}

}  // namespace kaigo::server
