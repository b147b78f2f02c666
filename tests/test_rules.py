"""Each relation rule alone on its own sentences, with the exact triples it yields.

Every rule of the default rule set (trigger rules from relation_rules.json and
the pattern rules) has cases here, run with ``RuleSet.only([rule])``, so that
breaking one rule fails its own test and no other rule can hide it. A triple
is (subject, predicate, object, position, modality), names as written; the two
names of a symmetric predicate are sorted.
"""

from __future__ import annotations

import pytest

from kg.rules import default_rules

Triple = tuple[str, str, str, str, str]

#: rule → [(text, exact triples)]. A text may hold several sentences: the topic of an
#: earlier one can be the subject of a later one (carry_subject rules).
CASES: dict[str, list[tuple[str, set[Triple]]]] = {
    "meeting": [
        ("トランプ大統領はゼレンスキー大統領とも電話会談を行った。",
         {("ゼレンスキー", "met_with", "トランプ", "", "asserted")}),
        ("トランプ大統領はプーチン大統領と会談する予定だ。", {("トランプ", "met_with", "プーチン", "", "planned")}),
        ("小泉首相はクフォー大統領と会談した際に創設を提案した。",  # the time of the proposal, not what was proposed
         {("クフォー", "met_with", "小泉", "", "asserted")}),
        ("トランプ大統領はプーチン大統領と会談すると発表した。",
         {("トランプ", "met_with", "プーチン", "", "planned")}),
        ("トランプ大統領がプーチン大統領と会談すれば、状況は変わる。",
         {("トランプ", "met_with", "プーチン", "", "hypothetical")}),
        ("ロイター通信によると、トランプ大統領はプーチン大統領と会談した。",
         {("トランプ", "met_with", "プーチン", "", "reported")}),
        ("トランプ大統領はプーチン大統領と会談しなかった。", set()),
        ("ペスコフ報道官は、両首脳が会談したとの報道を否定した。", set()),
        ("ゼレンスキー大統領はローマでルビオ国務長官と会談し、結果について報告した。",  # chains to a past verb
         {("ゼレンスキー", "met_with", "ルビオ", "", "asserted")}),
        # は never stands in a relative clause: the topic the parser hung there is the reporter's
        ("ロイター通信は4月11日、ロシアを訪問してプーチン大統領と会談し帰国した米国のウィトコフ特使が、"
         "トランプ大統領に進言したと報じた。", {("ウィトコフ", "met_with", "プーチン", "", "asserted")}),
        # the meeting is its clause's subject: the two names joined by と before it are its two sides
        ("15日、トランプ大統領とプーチン大統領との首脳会談がアラスカで開かれた。",
         {("トランプ", "met_with", "プーチン", "", "asserted")}),
        ("日本とロシアの首脳会談が開かれた。", {("ロシア", "met_with", "日本", "", "asserted")}),
        ("首相はトランプ大統領とプーチン大統領との会談を行った。", set()),  # 首相 met both; not found as a name
    ],
    "negotiation": [
        ("ロシアはウクライナと交渉した。", {("ウクライナ", "negotiates_with", "ロシア", "", "asserted")}),
        # a list with や names the other side, of someone else: its members do not talk to each other
        ("阪神電鉄は阪神タイガース球団や日本高等学校野球連盟との協議を行う。",
         {("阪神タイガース", "negotiates_with", "阪神電鉄", "", "planned"),
          ("日本高等学校野球連盟", "negotiates_with", "阪神電鉄", "", "planned")}),
        ("今後、阪神タイガース球団や日本高等学校野球連盟等関係各所との協議を行い、実施する計画。", set()),
    ],
    "agreement": [
        ("ゼレンスキー大統領は、トランプ大統領からの提案を受け入れた。",
         {("ゼレンスキー", "agrees_with", "トランプ", "", "asserted")}),
        ("ロシアは米国との間で攻撃停止に合意し、翌日にはウクライナも合意した。",
         {("ロシア", "agrees_with", "米国", "", "asserted")}),
        ("トランプ大統領は、プーチン大統領との相互訪問に合意したことを明らかにした。",
         {("トランプ", "agrees_with", "プーチン", "", "asserted")}),
    ],
    "support": [
        ("ウクライナのキエフ政権を支援する英仏独は反発した。",
         {("英", "supports", "キエフ政権", "", "asserted"), ("仏", "supports", "キエフ政権", "", "asserted"),
          ("独", "supports", "キエフ政権", "", "asserted")}),
        ("米国がウクライナを軍事的に支援するということになるから、それは不可能だ。",  # what it would mean
         {("米国", "supports", "ウクライナ", "", "hypothetical")}),
        ("米国による北朝鮮へのテロ支援国家指定は解除された。", set()),  # テロ支援国家: a kind of state (kind_heads)
        ("米国は北朝鮮へのテロ支援国家指定を続けた。", set()),
        ("米国は難民支援団体を通じてシリアを支援した。",  # the kind is skipped, the verb still relates
         {("米国", "supports", "シリア", "", "asserted")}),
    ],
    "attack": [
        ("ウクライナ軍がロシア軍の突出部を分断することに成功した。",
         {("ウクライナ軍", "attacks", "ロシア軍", "", "asserted")}),
        ("ロシア軍は昨夜ウクライナを攻撃、多くの施設が壊れた。",  # the bare stem chains on
         {("ロシア軍", "attacks", "ウクライナ", "", "asserted")}),
    ],
    "fighting": [
        ("ロシア軍はウクライナ軍と交戦した。", {("ウクライナ軍", "fights", "ロシア軍", "", "asserted")}),
        ("阪神タイガースは読売ジャイアンツと対戦した。", set()),  # a match is not a war
    ],
    "sanction": [
        ("中国の対米輸出規制が強化された。", {("中国", "sanctions", "米", "", "asserted")}),
    ],
    "criticism": [
        ("中国は米国を批判した。", {("中国", "criticizes", "米国", "", "asserted")}),
    ],
    "membership": [
        ("フィンランドはNATOに加盟した。", {("フィンランド", "member_of", "NATO", "", "asserted")}),
        ("毎日新聞は共同通信に2010年4月1日付けで加盟し、各都道府県の共同通信加盟地方新聞社から協力を受ける。",
         {("毎日新聞", "member_of", "共同通信", "", "asserted")}),  # 加盟し、 chains; it modifies no noun
    ],
    "membership_bid": [
        ("ウクライナはNATOに加盟申請した。", {("ウクライナ", "seeks_membership", "NATO", "", "asserted")}),
        ("NOVAは大阪地裁に会社更生法の適用を申請した。", set()),  # an application, not a membership bid
    ],
    "alliance": [
        ("日本は米国と同盟関係にある。", {("日本", "allied_with", "米国", "", "asserted")}),
    ],
    "transfer": [
        ("山内一弘さんは愛知県出身。その後阪神タイガースに移籍した。",
         {("山内一弘", "member_of", "阪神タイガース", "", "asserted")}),
        ("1952年に毎日オリオンズ入団。", set()),  # no subject and no topic: nobody to carry
        ("市川氏は東京都出身。戦後は東宝大争議の影響で新東宝に移籍。",  # 戦後は: no subject but to the parser
         {("市川", "member_of", "新東宝", "", "asserted")}),
        ("矢野氏は東京都出身。富士通は1985年に創設され、1995年に日本リーグ1部に昇格。", set()),  # its own subject
        ("長谷川氏は愛知県出身。半田商工高等学校、社会人野球のチームを経て、1950年に創部したばかりの広島カープに入団。",
         {("長谷川", "member_of", "広島カープ", "", "asserted")}),  # a school in a list is no subject of 入団
    ],
    "career_step": [
        ("山内一弘は川島紡績を経て毎日オリオンズに入団した。", {("山内一弘", "member_of", "川島紡績", "", "asserted")}),
        ("法案は衆議院を経て参議院で可決された。", set()),  # a bill passing through, nobody's career
        ("山内さんは愛知県出身。川島紡績を経て1952年に毎日オリオンズ入団。",  # 経て chains, it modifies no noun
         {("山内", "member_of", "川島紡績", "", "asserted")}),
        ("山内さんは愛知県出身。高校から日立製作所を経て阪神タイガースに入った。",
         {("山内", "member_of", "日立製作所", "", "asserted")}),
    ],
    "employment": [
        ("田中一郎氏はトヨタ自動車に入社した。", {("田中一郎", "member_of", "トヨタ自動車", "", "asserted")}),
        ("佐藤花子氏は自民党に入党した。", {("佐藤花子", "member_of", "自民党", "", "asserted")}),
    ],
    "became_member": [
        ("寒川進さんは車椅子で陸上競技を始めた。その後ジヤトコ社員となった。",
         {("寒川進", "member_of", "ジヤトコ", "", "asserted")}),
        ("選手会長の宮本慎也・ヤクルトスワローズ選手は評価をしつつ、話しあいたいと述べた。", set()),  # a subject, no predicate
    ],
    "leadership": [
        ("岡田武史監督は日本代表を率いる。", {("岡田武史", "holds_position_in", "日本代表", "", "asserted")}),
    ],
    "appointment": [
        ("田中一郎氏はトヨタ自動車の社長に就任した。", {("田中一郎", "holds_position_in", "トヨタ自動車", "", "asserted")}),
        ("後藤氏は共同通信を退社し、総合司会に就任する。", set()),  # 共同通信 is what he left
    ],
    "acquisition": [
        ("ソフトバンクはボーダフォンを買収した。", {("ソフトバンク", "acquires", "ボーダフォン", "", "asserted")}),
        ("ソフトバンクはボーダフォンを買収する方針だ。", {("ソフトバンク", "acquires", "ボーダフォン", "", "planned")}),
        ("ソフトバンクはボーダフォンの買収を発表した。", {("ソフトバンク", "acquires", "ボーダフォン", "", "planned")}),
        ("同社は大和証券系列の投資会社に売却され、のちにローソンが買収した。", set()),  # no object named
        ("ハーリー氏は、グーグルの買収であれば独立が続くとしている。", set()),  # a condition, and グーグル no known org
        ("ヤフーはグーグルの買収を否定した。", set()),
    ],
    "merger": [
        ("新日本製鐵は住友金属工業と合併した。", {("住友金属工業", "merges_with", "新日本製鐵", "", "asserted")}),
        ("阪神電鉄は阪急ホールディングスとの経営統合が10月1日に行われるが、球団は変わらない。",
         {("阪急ホールディングス", "merges_with", "阪神電鉄", "", "planned")}),
    ],
    "partnership": [
        ("トヨタ自動車はマツダと業務提携した。", {("トヨタ自動車", "partners_with", "マツダ", "", "asserted")}),
        ("トヨタ自動車がマツダと提携し、11月中に新会社を設立する。",  # takes the tense it chains to
         {("トヨタ自動車", "partners_with", "マツダ", "", "planned")}),
    ],
    "lawsuit": [
        ("寒川進さんが、勤務先のトヨタ自動車を相手取り、訴訟を起こした。",
         {("寒川進", "sues", "トヨタ自動車", "", "asserted")}),
        # に marks where a suit is filed (a court, the police), not whom it is against (Wikinews wn0833)
        ("田中一郎さんは日産自動車を東京地裁に提訴した。", {("田中一郎", "sues", "日産自動車", "", "asserted")}),
    ],
    "arrest": [
        ("警視庁は田中一郎容疑者を逮捕した。", {("警視庁", "arrests", "田中一郎", "", "asserted")}),
        ("田中一郎容疑者は警視庁に逮捕された。", {("警視庁", "arrests", "田中一郎", "", "asserted")}),
    ],
    "founding": [
        ("ストールマン氏はフリーソフトウェア財団を設立した。",
         {("ストールマン", "founded", "フリーソフトウェア財団", "", "asserted")}),
    ],
    "title_affiliation": [
        ("ルビオ米国務長官が会った。", {("ルビオ", "holds_position_in", "米", "国務長官", "asserted")}),
        ("トランプ前米大統領は述べた。", {("トランプ", "holds_position_in", "米", "大統領", "past")}),
        ("シリアのメクダド国連大使が述べた。", set()),  # the UN is where he is sent, not whom he serves
    ],
    "genitive_position": [
        ("日本共産党不破哲三議長が退任した。",  # の dropped before a titled name
         {("不破哲三", "holds_position_in", "日本共産党", "議長", "asserted")}),
        ("セは巨人杉内俊哉投手、パは日本ハム吉川光夫投手が受賞した。",
         {("杉内俊哉", "member_of", "巨人", "", "asserted"), ("吉川光夫", "member_of", "日本ハム", "", "asserted")}),
        ("ロシアのラブロフ外相が語った。", {("ラブロフ", "holds_position_in", "ロシア", "外相", "asserted")}),
        ("自民党の高市早苗総裁が述べた。", {("高市早苗", "holds_position_in", "自民党", "総裁", "asserted")}),
        ("共和党のレーガン大統領が提唱した。", {("レーガン", "member_of", "共和党", "", "asserted")}),
        ("IBM職員のデーブ・ターナー氏の携帯電話が鳴った。",
         {("デーブ・ターナー", "member_of", "IBM", "", "asserted")}),
        ("ウィキニュースのリポーターであるブランドン・スタフォード氏が伝えた。",
         {("ブランドン・スタフォード", "member_of", "ウィキニュース", "", "asserted")}),
        ("IBMのボブ・スーター、クレイグ・クック、マーク・ブラウン氏がいた。",
         {("ボブ・スーター", "member_of", "IBM", "", "asserted"),
          ("クレイグ・クック", "member_of", "IBM", "", "asserted"),
          ("マーク・ブラウン", "member_of", "IBM", "", "asserted")}),
        ("宇宙航空研究開発機構(JAXA)の山中浩二フライトディレクターは述べた。",
         {("山中浩二", "holds_position_in", "宇宙航空研究開発機構", "フライトディレクター", "asserted")}),
        ("ハンガリーのオルバン首相は、ドイツを批判した。",
         {("オルバン", "holds_position_in", "ハンガリー", "首相", "asserted")}),
        ("日本のプロボクサー、亀田興毅選手が勝った。", set()),  # a nationality, not a membership
        ("前駐米大使・加藤良三さんが就任する。", set()),  # 駐米: the state he was sent to
        ("読売新聞・秋田魁新報などによると、教諭が強要した。", set()),  # sources, not a paper and its person
        ("球場所有者の阪神電鉄・坂井信也社長は述べた。",  # ・ joins them as の does
         {("坂井信也", "holds_position_in", "阪神電鉄", "社長", "asserted")}),
        ("横浜ベイスターズ所属の佐々木主浩投手が登板した。",  # 所属の: a member, as with の
         {("佐々木主浩", "member_of", "横浜ベイスターズ", "", "asserted")}),
        ("読売ジャイアンツ終身名誉監督・長嶋茂雄氏が語った。",  # a title after qualifying kanji
         {("長嶋茂雄", "holds_position_in", "読売ジャイアンツ", "終身名誉監督", "asserted")}),
        ("SPDのシュレーダー首相が述べた。", set()),  # a state's office: SPD is his party, not known as one
        ("厚生労働省の舛添要一大臣が会見した。",  # a ministry's minister holds his office in it
         {("舛添要一", "holds_position_in", "厚生労働省", "大臣", "asserted")}),
        ("CDU党首のメルケル次期首相が述べた。",  # the title before の is her post there
         {("メルケル", "holds_position_in", "CDU", "党首", "asserted")}),
        ("ライブドア幹部の宮内亮治取締役が逮捕された。",  # 幹部 only says he belongs; 取締役 is his post
         {("宮内亮治", "holds_position_in", "ライブドア", "取締役", "asserted")}),
        ("ホッケー女子日本代表の加藤明美選手が出場した。",  # the national team's player, no post in the state
         {("加藤明美", "member_of", "日本代表", "", "asserted")}),
    ],
    "person_org_title": [
        ("当初、デイヴィッド・ポーリソンFEMA長官は会見で要望した。",
         {("デイヴィッド・ポーリソン", "holds_position_in", "FEMA", "長官", "asserted")}),
        ("座長の松原聡・東洋大学教授は指摘した。", {("松原聡", "holds_position_in", "東洋大学", "教授", "asserted")}),
        ("シェリング氏はメリーランド大学教授。", {("シェリング", "holds_position_in", "メリーランド大学", "教授", "asserted")}),
        ("一茂・巨人軍球団代表特別補佐は語った。",  # the title goes on past 代表
         {("一茂", "holds_position_in", "巨人軍球団", "代表特別補佐", "asserted")}),
        ("佐藤一郎氏は東洋大学教授の山田太郎氏と会った。", set()),  # the title is the next person's
        ("逮捕された西村真悟・民主党衆院議員(当時)以来となる。",  # a state office after a party: its member
         {("西村真悟", "member_of", "民主党", "", "asserted")}),
    ],
    "anaphoric_genitive": [
        ("インドネシアでは地震が起きた。同国のユドヨノ大統領は被災地を訪れた。",
         {("ユドヨノ", "holds_position_in", "インドネシア", "大統領", "asserted")}),
        ("大阪大学は声明を出した。朝日新聞によると、同大学の鷲田清一学長は謝罪した。",  # not the cited source
         {("鷲田清一", "holds_position_in", "大阪大学", "学長", "asserted")}),
        ("Jリーグはガイナーレ鳥取の昇格を認めた。同球団の古田暉彦専務理事は喜んだ。",  # a club, not the league
         {("古田暉彦", "holds_position_in", "ガイナーレ鳥取", "専務理事", "asserted")}),
        # 同社: the company the article has named most, twice at least, courts and sources left out
        ("トヨタ自動車は新車を発表した。同社の豊田章男社長は語った。", set()),  # named once: in passing, perhaps
        ("トヨタ自動車は新車を発表した。販売店のホンダは驚いた。トヨタ自動車の販売は伸びた。東京地裁は判断を示した。"
         "東京地裁の判断は妥当だ。同社の豊田章男社長は語った。", {("豊田章男", "holds_position_in", "トヨタ自動車", "社長", "asserted")}),
        ("トヨタ自動車は新車を発表した。トヨタ自動車の販売は伸びた。朝日新聞によると、同社の豊田章男・執行役員は語った。",
         {("豊田章男", "holds_position_in", "トヨタ自動車", "執行役員", "asserted")}),  # the title after ・
        ("不二家は新製品を発表した。不二家の販売は伸びた。同社のキャラクター・ペコちゃんが描かれている。",
         set()),  # no title: not one of the company's people
    ],
    "bracketed_affiliation": [
        ("中迫俊明(鹿児島工業監督)は語った。", {("中迫俊明", "holds_position_in", "鹿児島工業", "監督", "asserted")}),
        ("アラン・ガルシア氏(アプラ党)が勝利した。", {("アラン・ガルシア", "member_of", "アプラ党", "", "asserted")}),
        ("清原和博(前・巨人)と中村紀洋(元近鉄)が入団した。",  # 前, 元: a former club
         {("清原和博", "member_of", "巨人", "", "past"), ("中村紀洋", "member_of", "近鉄", "", "past")}),
        ("堂上直倫(愛知工業大学付属名電高等学校・内野手)が指名された。",
         {("堂上直倫", "member_of", "愛知工業大学付属名電高等学校", "", "asserted")}),
        ("林文子氏(63、民主党推薦、国民新党支持)が当選した。", set()),  # who backs her
        ("山田太郎氏(自民党衆院議員)が当選した。",  # a state office after a party: its member
         {("山田太郎", "member_of", "自民党", "", "asserted")}),
        ("池田芳蔵氏(三井物産出身)が就任した。", set()),  # where he came from
        ("高相祐一(たかあい・ゆういち)容疑者が逮捕された。", set()),  # how the name reads
    ],
    "serves_as": [
        ("田中一郎氏はトヨタ自動車の社長を務めている。",
         {("田中一郎", "holds_position_in", "トヨタ自動車", "社長", "asserted")}),
        ("山田太郎氏は2005年から日本銀行総裁を務めた。",
         {("山田太郎", "holds_position_in", "日本銀行", "総裁", "asserted")}),
        ("後藤氏は共同通信で2002年から政治部長を務めていた。",  # the organization where (で) the post was held
         {("後藤", "holds_position_in", "共同通信", "政治部長", "asserted")}),
        ("佐藤氏は日本経済新聞の記者として活躍した。", {("佐藤", "member_of", "日本経済新聞", "", "asserted")}),
        ("伊調馨選手が日本の女子選手としては初の3連覇を達成した。", set()),  # a nationality, no post
        ("スミス氏は米国のインド大使を務めた。",  # India is where he was sent, the US whom he served
         {("スミス", "holds_position_in", "米国", "大使", "asserted")}),
        ("山内さんは愛知県出身。秋田選手はFC琉球で現役選手として復帰した。", set()),  # someone unnamed: not the topic
        # the organization a relative clause describes, and that clause's own subject
        ("ブット氏は、自身が総裁を務めるパキスタン人民党を率いて出馬する。",
         {("ブット", "holds_position_in", "パキスタン人民党", "総裁", "asserted")}),
        ("仰木氏が最後の1年間監督を務めたオリックス球団は会見を開いた。",  # 1年間: a count, not part of the title
         {("仰木", "holds_position_in", "オリックス球団", "監督", "asserted")}),
    ],
    "dismissal": [
        ("3月6日の四国新聞によると、横浜FCは、足達勇輔監督を解任した。",  # a cited paper dismisses nobody
         {("足達勇輔", "holds_position_in", "横浜FC", "監督", "past")}),
        ("オリックス・バファローズは前川勝彦投手を解雇すると発表した。",  # still on the team until then
         {("前川勝彦", "member_of", "オリックス・バファローズ", "", "asserted")}),
    ],
    "side_title": [
        ("ロシア側はメジンスキー大統領補佐官が出席した。",
         {("メジンスキー", "holds_position_in", "ロシア", "大統領補佐官", "asserted")}),
    ],
    "genitive_link": [
        ("ソフトバンク傘下のヤフーが発表した。", {("ヤフー", "part_of", "ソフトバンク", "", "asserted")}),
        ("ロシアの友好国ベラルーシが支持した。", {("ベラルーシ", "allied_with", "ロシア", "", "asserted")}),
    ],
    "title_era": [
        ("山内さんは愛知県出身。1979年から81年のロッテオリオンズ監督時代には優勝した。",
         {("山内", "holds_position_in", "ロッテオリオンズ", "監督", "past")}),
    ],
    "compound_trigger": [
        ("米露首脳会談が開かれた。", {("米", "met_with", "露", "", "asserted")}),
        ("米露首脳会談へ", {("米", "met_with", "露", "", "planned")}),
        ("中露同盟は強固だ。", {("中", "allied_with", "露", "", "asserted")}),
    ],
    "member_states": [
        ("英仏独など北大西洋条約機構(NATO)加盟諸国は反発した。",
         {("英", "member_of", "北大西洋条約機構", "", "asserted"),
          ("仏", "member_of", "北大西洋条約機構", "", "asserted"),
          ("独", "member_of", "北大西洋条約機構", "", "asserted")}),
    ],
    "accession_bid": [
        ("米、ウクライナのNATO加盟に反対表明", {("ウクライナ", "seeks_membership", "NATO", "", "asserted")}),
    ],
}


@pytest.fixture(scope="module")
def triples(rule_triples):  # type: ignore[no-untyped-def]
    """Text → the exact set of triples the named rules alone yield from it (conftest.py)."""
    return rule_triples


@pytest.mark.parametrize(("rule", "text", "expected"),
                         [(rule, text, expected) for rule, cases in CASES.items() for text, expected in cases])
def test_rule_alone(triples, rule: str, text: str, expected: set[Triple]) -> None:  # type: ignore[no-untyped-def]
    assert triples(text, [rule]) == expected


def test_every_rule_has_its_cases() -> None:
    rules = default_rules()
    names = {r.name for r in rules.triggers} | set(rules.patterns)
    assert names == set(CASES), "a rule without cases here is a rule no test guards"
    for rule, cases in CASES.items():
        assert any(expected for _, expected in cases), f"{rule} has no case where it fires"
