#include "sim/name_lists.hpp"

#include <array>
#include <vector>

namespace kaigo::sim {

namespace {

constexpr NameEntry kFamily[] = {
    {"佐藤", "サトウ", 1870}, {"鈴木", "スズキ", 1790}, {"高橋", "タカハシ", 1300}, {"髙橋", "タカハシ", 110},
    {"田中", "タナカ", 1340}, {"伊藤", "イトウ", 1080}, {"渡辺", "ワタナベ", 1030}, {"渡邊", "ワタナベ", 40},
    {"山本", "ヤマモト", 1070}, {"中村", "ナカムラ", 1050}, {"小林", "コバヤシ", 1040}, {"加藤", "カトウ", 890},
    {"吉田", "ヨシダ", 835}, {"𠮷田", "ヨシダ", 5}, {"山田", "ヤマダ", 810}, {"佐々木", "ササキ", 680},
    {"山口", "ヤマグチ", 640}, {"松本", "マツモト", 630}, {"井上", "イノウエ", 610}, {"木村", "キムラ", 570},
    {"林", "ハヤシ", 530}, {"斎藤", "サイトウ", 470}, {"齋藤", "サイトウ", 60}, {"清水", "シミズ", 520},
    {"山崎", "ヤマザキ", 420}, {"山﨑", "ヤマザキ", 60}, {"森", "モリ", 460}, {"池田", "イケダ", 440},
    {"橋本", "ハシモト", 430}, {"阿部", "アベ", 430}, {"石川", "イシカワ", 420}, {"山下", "ヤマシタ", 410},
    {"中島", "ナカジマ", 410}, {"石井", "イシイ", 400}, {"小川", "オガワ", 400}, {"前田", "マエダ", 390},
    {"岡田", "オカダ", 380}, {"長谷川", "ハセガワ", 370}, {"藤田", "フジタ", 370}, {"後藤", "ゴトウ", 360},
    {"近藤", "コンドウ", 350}, {"村上", "ムラカミ", 340}, {"遠藤", "エンドウ", 330}, {"青木", "アオキ", 330},
    {"坂本", "サカモト", 320}, {"斉藤", "サイトウ", 310}, {"福田", "フクダ", 310}, {"太田", "オオタ", 300},
    {"西村", "ニシムラ", 300}, {"藤井", "フジイ", 290}, {"金子", "カネコ", 290}, {"岡本", "オカモト", 290},
    {"藤原", "フジワラ", 290}, {"中野", "ナカノ", 280}, {"三浦", "ミウラ", 280}, {"原田", "ハラダ", 270},
    {"中川", "ナカガワ", 270}, {"松田", "マツダ", 270}, {"竹内", "タケウチ", 270}, {"小野", "オノ", 270},
    {"田村", "タムラ", 260}, {"中山", "ナカヤマ", 260}, {"和田", "ワダ", 260}, {"石田", "イシダ", 250},
    {"森田", "モリタ", 250}, {"上田", "ウエダ", 250}, {"原", "ハラ", 250}, {"内田", "ウチダ", 240},
    {"柴田", "シバタ", 240}, {"酒井", "サカイ", 240}, {"宮崎", "ミヤザキ", 200}, {"宮﨑", "ミヤザキ", 30},
    {"横山", "ヨコヤマ", 230}, {"高木", "タカギ", 200}, {"髙木", "タカギ", 20}, {"安藤", "アンドウ", 220},
    {"宮本", "ミヤモト", 220}, {"大野", "オオノ", 210}, {"小島", "コジマ", 210}, {"工藤", "クドウ", 200},
    {"高田", "タカダ", 180}, {"髙田", "タカダ", 20}, {"岩崎", "イワサキ", 165}, {"岩﨑", "イワサキ", 15},
};

// Men born up to 1949.
constexpr NameEntry kMaleOld[] = {
    {"清", "キヨシ", 10}, {"茂", "シゲル", 10}, {"勇", "イサム", 9}, {"博", "ヒロシ", 10}, {"実", "ミノル", 8},
    {"進", "ススム", 8}, {"武", "タケシ", 7}, {"正", "タダシ", 7}, {"三郎", "サブロウ", 6}, {"昭", "アキラ", 7},
    {"勝", "マサル", 7}, {"功", "イサオ", 6}, {"和夫", "カズオ", 8}, {"正雄", "マサオ", 7}, {"幸雄", "ユキオ", 6},
};
constexpr NameEntry kFemaleOld[] = {
    {"和子", "カズコ", 10}, {"幸子", "サチコ", 10}, {"節子", "セツコ", 9}, {"洋子", "ヨウコ", 8},
    {"久子", "ヒサコ", 7}, {"美代子", "ミヨコ", 7}, {"文子", "フミコ", 7}, {"弘子", "ヒロコ", 7},
    {"京子", "キョウコ", 7}, {"恵美子", "エミコ", 6}, {"静子", "シズコ", 6}, {"千代子", "チヨコ", 6},
    {"トミ", "トミ", 3}, {"ハル", "ハル", 3}, {"キヨ", "キヨ", 3},
};
// 1950–1974.
constexpr NameEntry kMaleMid[] = {
    {"誠", "マコト", 10}, {"浩", "ヒロシ", 9}, {"修", "オサム", 8}, {"隆", "タカシ", 8}, {"健一", "ケンイチ", 7},
    {"博之", "ヒロユキ", 7}, {"和彦", "カズヒコ", 7}, {"哲也", "テツヤ", 7}, {"聡", "サトシ", 7}, {"秀樹", "ヒデキ", 6},
    {"浩二", "コウジ", 6}, {"明", "アキラ", 7}, {"茂樹", "シゲキ", 5},
};
constexpr NameEntry kFemaleMid[] = {
    {"恵子", "ケイコ", 10}, {"由美子", "ユミコ", 9}, {"久美子", "クミコ", 9}, {"裕子", "ユウコ", 8},
    {"真由美", "マユミ", 8}, {"直美", "ナオミ", 7}, {"明美", "アケミ", 7}, {"智子", "トモコ", 8},
    {"陽子", "ヨウコ", 7}, {"純子", "ジュンコ", 7}, {"典子", "ノリコ", 6}, {"美穂", "ミホ", 5},
};
// 1975–1999.
constexpr NameEntry kMaleYoung[] = {
    {"大輔", "ダイスケ", 10}, {"拓也", "タクヤ", 9}, {"翔太", "ショウタ", 9}, {"健太", "ケンタ", 8},
    {"直樹", "ナオキ", 7}, {"達也", "タツヤ", 7}, {"翔", "ショウ", 7}, {"大樹", "ダイキ", 7},
    {"拓海", "タクミ", 6}, {"亮", "リョウ", 6}, {"和也", "カズヤ", 7}, {"雄太", "ユウタ", 6},
};
constexpr NameEntry kFemaleYoung[] = {
    {"愛", "アイ", 9}, {"彩", "アヤ", 7}, {"麻衣", "マイ", 7}, {"舞", "マイ", 6}, {"香織", "カオリ", 7},
    {"恵", "メグミ", 8}, {"優子", "ユウコ", 7}, {"沙織", "サオリ", 7}, {"美咲", "ミサキ", 9},
    {"千尋", "チヒロ", 5}, {"由佳", "ユカ", 6}, {"美穂", "ミホ", 5},
};
// 2000 onwards.
constexpr NameEntry kMaleNew[] = {
    {"蓮", "レン", 10}, {"大翔", "ヒロト", 9}, {"陽翔", "ハルト", 9}, {"悠真", "ユウマ", 8}, {"湊", "ミナト", 8},
    {"蒼", "アオイ", 7}, {"樹", "イツキ", 7}, {"悠斗", "ユウト", 7}, {"颯太", "ソウタ", 7}, {"陽向", "ヒナタ", 6},
    {"朝陽", "アサヒ", 6}, {"律", "リツ", 5},
};
constexpr NameEntry kFemaleNew[] = {
    {"陽葵", "ヒマリ", 10}, {"凛", "リン", 9}, {"結菜", "ユイナ", 8}, {"葵", "アオイ", 8}, {"芽依", "メイ", 7},
    {"さくら", "サクラ", 7}, {"結愛", "ユア", 7}, {"紬", "ツムギ", 7}, {"莉子", "リコ", 6}, {"美桜", "ミオ", 6},
    {"杏", "アン", 5}, {"澪", "ミオ", 5},
};

// The weights of every list, computed once so pick() reads them without copying per draw.
struct WeightCache {
  std::vector<std::pair<const NameEntry*, std::vector<std::uint32_t>>> lists;
  WeightCache() {
    auto add = [&](std::span<const NameEntry> names) {
      std::vector<std::uint32_t> w;
      for (const auto& n : names) w.push_back(n.weight);
      lists.emplace_back(names.data(), std::move(w));
    };
    add(kFamily);
    for (std::span<const NameEntry> s : {std::span<const NameEntry>(kMaleOld), std::span<const NameEntry>(kFemaleOld),
                                         std::span<const NameEntry>(kMaleMid), std::span<const NameEntry>(kFemaleMid),
                                         std::span<const NameEntry>(kMaleYoung), std::span<const NameEntry>(kFemaleYoung),
                                         std::span<const NameEntry>(kMaleNew), std::span<const NameEntry>(kFemaleNew)})
      add(s);
  }
};

const WeightCache& cache() {
  static const WeightCache c;
  return c;
}

}  // namespace

std::span<const NameEntry> family_names() { return kFamily; }

std::span<const NameEntry> given_names(char sex, int birth_year) {
  const bool male = sex == '1';
  if (birth_year < 1950) return male ? std::span<const NameEntry>(kMaleOld) : std::span<const NameEntry>(kFemaleOld);
  if (birth_year < 1975) return male ? std::span<const NameEntry>(kMaleMid) : std::span<const NameEntry>(kFemaleMid);
  if (birth_year < 2000) return male ? std::span<const NameEntry>(kMaleYoung) : std::span<const NameEntry>(kFemaleYoung);
  return male ? std::span<const NameEntry>(kMaleNew) : std::span<const NameEntry>(kFemaleNew);
}

std::span<const std::uint32_t> weights_of(std::span<const NameEntry> names) {
  for (const auto& [data, w] : cache().lists)
    if (data == names.data() && w.size() == names.size()) return w;
  return {};
}

}  // namespace kaigo::sim
