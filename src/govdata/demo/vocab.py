"""Hand-rolled word lists for the synthetic city 示例市: names, places, codes.

No Faker: its lists and its random draws change between releases, so the same seed would not give
the same city (and byte-identical files) across library versions; it would also be one more
dependency for a few hundred words. Everything here is plain data, drawn with ``random.Random``.
Raises nothing.
"""

from __future__ import annotations

from itertools import accumulate


def _weighted(spec: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Parse ``"王:710 李:700 …"`` into (words, cumulative weights) for ``Random.choices``."""
    pairs = [item.split(":") for item in spec.split()]
    return tuple(w for w, _ in pairs), tuple(accumulate(int(n) for _, n in pairs))


# ≈ 100 surnames with weights in 1/10000 of the population (rounded from the public rankings);
# a few compound surnames at their (small) real frequency.
SURNAMES, SURNAME_CUM = _weighted(
    """王:710 李:700 张:670 刘:540 陈:450 杨:310 黄:210 赵:200 吴:190 周:190 徐:150 孙:140 马:130 朱:120
    胡:110 郭:110 何:100 林:95 罗:90 高:90 郑:80 梁:80 谢:70 宋:70 唐:70 许:60 韩:60 邓:60 冯:60 曹:50
    彭:50 曾:50 肖:50 田:50 董:50 潘:40 袁:40 蔡:40 蒋:40 余:40 于:40 杜:40 叶:40 程:40 魏:30 苏:30
    吕:30 丁:30 任:30 卢:30 姚:30 沈:30 钟:30 姜:30 崔:30 谭:30 陆:30 范:30 汪:30 廖:30 石:30 金:30
    韦:20 贾:20 夏:20 付:20 方:20 邹:20 熊:20 白:20 孟:20 秦:20 邱:20 侯:20 江:20 尹:20 薛:20 闫:20
    段:20 雷:20 龙:20 黎:20 史:20 陶:20 贺:20 毛:20 郝:20 顾:20 龚:20 邵:20 万:10 覃:10 武:10 钱:10
    戴:10 严:10 莫:10 孔:10 向:10 常:10 汤:10 欧阳:3 司马:1 诸葛:1 上官:1 皇甫:1"""
)

# ≈ 300 common given-name characters, split by the gender they lean to.
GIVEN_MALE = tuple(
    "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清"
    "飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善"
    "厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家"
    "致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘宇轩昊睿铭航锋晖凯"
)
GIVEN_FEMALE = tuple(
    "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺"
    "媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹"
    "蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓"
    "欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽阳妮宝贝初程梵罡恒鸿桦骅剑娇纪宽苛灵玛媚琪晴容睿烁堂唯威"
    "韦雯苇萱阅彦宇雨洋忠宗曼紫逸贤蝶菡绿蓝儿翠烟"
)

# Simplified → traditional for characters in the lists above that differ (for the spelling defect).
TRADITIONAL = dict(
    zip(
        "张刘陈杨黄赵吴孙马罗郑谢许韩邓冯叶苏吕卢钟谭陆贾邹闫龙贺顾龚万钱严汤伟军刚强东辉义兴贵龙"
        "国胜学飞顺杰涛达进坚诚敬震壮会乐庆磊亮谦轮鸣栋启伦翔鹏泽树钧腾铭锋晖凯华娟凤兰艳玲红莲云"
        "环荣爱霞莺贞莉琼娅晶颖婵雁蓓纨仪岚韵艺咏悦欢芸菲亚宜丽阳宝贝罡鸿骅剑娇纪宽灵玛烁唯苇阅绿"
        "蓝儿烟",
        "張劉陳楊黃趙吳孫馬羅鄭謝許韓鄧馮葉蘇呂盧鍾譚陸賈鄒閆龍賀顧龔萬錢嚴湯偉軍剛強東輝義興貴龍"
        "國勝學飛順傑濤達進堅誠敬震壯會樂慶磊亮謙輪鳴棟啟倫翔鵬澤樹鈞騰銘鋒暉凱華娟鳳蘭艷玲紅蓮雲"
        "環榮愛霞鶯貞莉瓊婭晶穎嬋雁蓓紈儀嵐韻藝詠悅歡蕓菲亞宜麗陽寶貝罡鴻驊劍嬌紀寬靈瑪爍唯葦閱綠"
        "藍兒煙",
        strict=True,
    )
)

CITY_CODE = "330100"
CITY_NAME = "示例市"
PROVINCE_NAME = "浙江省"

# Districts of 示例市 (杭州市's codes). 330113/330114 exist since 2021; 330103/330104 were abolished
# then, so people born earlier may carry them and people born later never do.
DISTRICTS: dict[str, str] = {
    "330102": "上城区",
    "330105": "拱墅区",
    "330106": "西湖区",
    "330108": "滨江区",
    "330109": "萧山区",
    "330110": "余杭区",
    "330111": "富阳区",
    "330112": "临安区",
    "330113": "临平区",
    "330114": "钱塘区",
    "330122": "桐庐县",
    "330127": "淳安县",
    "330182": "建德市",
}
ABOLISHED = {"330103": "下城区", "330104": "江干区"}
DISTRICTS_BEFORE_2021 = tuple(c for c in DISTRICTS if c not in ("330113", "330114")) + tuple(ABOLISHED)
DISTRICTS_SINCE_2021 = tuple(DISTRICTS)
# Where people born elsewhere in China were registered at birth.
ELSEWHERE = (
    "110105 310115 440304 510104 320102 420102 340102 360102 410105 430102 350102 370102 330203 330302 "
    "330402 330602 331002 500103 610113 210102"
).split()

STREETS = tuple(
    "人民 解放 建设 和平 中山 新华 文化 学院 光明 胜利 青年 振兴 繁荣 幸福 朝阳 东风 南湖 西溪 滨江 江南 "
    "湖滨 延安 庆春 凤起 文一 文二 文三 天目山 莫干山 古墩 丰潭 石祥 东新 长河 江陵 闻涛 市心 通惠 育才 科技".split()
)

# GB/T 3304 ethnicity codes with rough weights for the city (汉 dominant; 畲族 is local to Zhejiang).
ETHNICITIES, ETHNICITY_CUM = _weighted("01:9700 22:60 03:50 08:40 06:40 15:40 11:30 07:20 02:10 10:10")

MOBILE_PREFIXES = tuple(
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 173 175 176 177 "
    "178 180 181 182 183 184 185 186 187 188 189 191 198 199".split()
)

HOSPITALS = tuple(
    f"{CITY_NAME}{h}"
    for h in "第一人民医院 妇产科医院 妇幼保健院 中医院 第三人民医院 上城区人民医院 萧山区第一人民医院 "
    "余杭区妇幼保健院 富阳区人民医院 临安区人民医院 桐庐县人民医院 淳安县第一人民医院 建德市人民医院".split()
)

COMPANY_INDUSTRIES = tuple(
    "科技 网络科技 信息技术 贸易 电子商务 建筑工程 装饰工程 餐饮管理 物业管理 服装 机械制造 新材料 "
    "生物科技 文化传媒 教育咨询 物流 汽车服务 环保科技 食品 医疗器械".split()
)
ENTERPRISE_STATES, ENTERPRISE_STATE_CUM = _weighted("存续:8200 在业:800 注销:700 吊销:300")

ROADS = tuple(
    f"{s}路"
    for s in "文一 文二 文三 天目山 莫干山 延安 解放 庆春 凤起 中河 秋涛 滨盛 江南 市心 通惠 "
    "古墩 丰潭 石祥 东新 紫金港".split()
)
DIRECTIONS = ("东向西", "西向东", "南向北", "北向南")
STATIONS = tuple(
    f"{name}监测站"
    for name in ("上城", "拱墅", "西湖", "滨江", "萧山", "余杭", "富阳", "临安", "临平", "钱塘")
)
