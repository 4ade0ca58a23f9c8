#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "people/my_number_vault.hpp"

using kaigo::people::MyNumberVault;

namespace {

TEST(MyNumberVault, CheckDigitFollowsTheCabinetOrder) {
  // 番号法施行令 8条; "123456789018" is the commonly cited valid sample.
  EXPECT_EQ(MyNumberVault::check_digit("12345678901"), 8);
  EXPECT_TRUE(MyNumberVault::valid_my_number("123456789018"));
  EXPECT_FALSE(MyNumberVault::valid_my_number("123456789017"));
  EXPECT_FALSE(MyNumberVault::valid_my_number("12345678901"));
  EXPECT_FALSE(MyNumberVault::valid_my_number("12345678901a"));
}

TEST(MyNumberVault, RoundTripsAndBindsThePerson) {
  MyNumberVault vault(std::string(32, 'x'));
  auto cipher = vault.encrypt("1000000001", "123456789018");
  ASSERT_TRUE(cipher);
  EXPECT_EQ(cipher->find("123456789018"), std::string::npos);
  EXPECT_EQ(*vault.decrypt("1000000001", *cipher), "123456789018");
  EXPECT_NE(*vault.encrypt("1000000001", "123456789018"), *cipher) << "a fresh nonce every time";
  EXPECT_FALSE(vault.decrypt("1000000002", *cipher)) << "moved to another person's row";
  std::string tampered = *cipher;
  tampered[30] = tampered[30] == '0' ? '1' : '0';
  EXPECT_FALSE(vault.decrypt("1000000001", tampered));
  MyNumberVault other(std::string(32, 'y'));
  EXPECT_FALSE(other.decrypt("1000000001", *cipher)) << "another key";
  auto bad = vault.encrypt("1000000001", "123456789017");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "my_number");
}

TEST(MyNumberVault, MasksAllButTheLastFourDigits) {
  EXPECT_EQ(MyNumberVault::mask("123456789018"), "********9018");
}

TEST(MyNumberVault, LoadsTheKeyFromFileOrEnvironmentAndCreatesTheDefault) {
  auto dir = std::filesystem::temp_directory_path() / ("kaigo-vault-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string made = (dir / "made.key").string();
  ::unsetenv("KAIGO_MY_NUMBER_KEY");
  EXPECT_FALSE(MyNumberVault::load("", made, false)) << "no key and not allowed to make one";
  auto created = MyNumberVault::load("", made, true);
  ASSERT_TRUE(created);
  EXPECT_EQ(std::filesystem::status(made).permissions() & std::filesystem::perms::group_all, std::filesystem::perms::none);
  auto again = MyNumberVault::load("", made, true);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->key_id(), created->key_id()) << "the same key is read back";
  const std::string bad = (dir / "bad.key").string();
  std::ofstream(bad) << "not hex\n";
  auto rejected = MyNumberVault::load(bad, made, false);
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().field, "key");
  ::setenv("KAIGO_MY_NUMBER_KEY", std::string(64, 'a').c_str(), 1);
  auto from_env = MyNumberVault::load("", made, false);
  ::unsetenv("KAIGO_MY_NUMBER_KEY");
  ASSERT_TRUE(from_env);
  EXPECT_NE(from_env->key_id(), created->key_id());
  std::filesystem::remove_all(dir);
}

}  // namespace
