#include <gtest/gtest.h>

#include "server/password.hpp"
#include "server/roles.hpp"

namespace {

using namespace kaigo::server;

TEST(Roles, ParseAndPrintRoundTrip) {
  auto roles = parse_roles("supervisor,eligibility_staff");
  ASSERT_TRUE(roles);
  EXPECT_EQ(roles_csv(*roles), "eligibility_staff,supervisor");
  EXPECT_FALSE(parse_roles("supervisor,boss"));
  EXPECT_EQ(all_roles().size(), 7u);
  for (Role r : all_roles()) EXPECT_EQ(parse_role(role_name(r)), r);
}

TEST(Roles, OnlyEligibilityStaffAndSupervisorsMaySeeTheMyNumber) {
  EXPECT_TRUE(my_number_viewers().contains(Role::eligibility_staff));
  EXPECT_TRUE(my_number_viewers().contains(Role::supervisor));
  EXPECT_FALSE(my_number_viewers().contains(Role::premium_staff));
  EXPECT_FALSE(my_number_viewers().contains(Role::auditor));
  EXPECT_FALSE(person_readers().contains(Role::administrator));
  EXPECT_FALSE(person_readers().contains(Role::auditor));
}

TEST(Password, Argon2idHashVerifies) {
  auto hash = hash_password("correct-horse-42");
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(verify_password("correct-horse-42", *hash));
  EXPECT_FALSE(verify_password("correct-horse-43", *hash));
  EXPECT_NE(*hash, *hash_password("correct-horse-42")) << "salted";
  EXPECT_FALSE(check_password_policy("short"));
  EXPECT_TRUE(check_password_policy("long-enough"));
}

}  // namespace
